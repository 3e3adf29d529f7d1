import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { cossOk } from '../common/envelope';
import { writeEventStream } from '../common/http/sse';
import { GetSignResultDto } from '../login/dto/get-sign-result.dto';
import { SignResults } from './sign-results';

@ApiTags('login (COSS-compatible)')
@Controller('coss/service/v1')
export class SignResultController {
  constructor(private readonly results: SignResults) {}

  @Post('getSignResult')
  @HttpCode(200)
  @ApiOperation({
    summary: 'State of a QR login or document signing job: UNSIGN, FINISH (verified and stored), EXPIRED, REJECTED',
  })
  async getSignResult(@Body() dto: GetSignResultDto) {
    return cossOk(await this.results.result(dto.signDataId));
  }

  @Get('signResult/:signDataId/events')
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary: 'Server-Sent Events: a `status` event per state change of a login or signing job, until it ends',
  })
  async events(@Param() params: GetSignResultDto, @Res() reply: FastifyReply): Promise<void> {
    await this.results.result(params.signDataId);
    writeEventStream(reply, this.results.streams.watch(params.signDataId));
  }
}
