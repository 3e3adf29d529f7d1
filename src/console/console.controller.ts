import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

@Controller()
export class ConsoleRedirectController {
  @Get()
  @ApiExcludeEndpoint()
  root(@Res() reply: FastifyReply): void {
    void reply.redirect('/console/', 302);
  }

  @Get('console')
  @ApiExcludeEndpoint()
  console(@Res() reply: FastifyReply): void {
    void reply.redirect('/console/', 302);
  }
}
