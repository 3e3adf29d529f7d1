import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { cossOk } from '../common/envelope';
import { GetSignResultDto } from './dto/get-sign-result.dto';
import { EndAutoSignDto, QueryImageDto } from './dto/query-image.dto';
import { StartAutoSignDto } from './dto/start-auto-sign.dto';
import { LoginEvents } from './login-events';
import { LoginRefresher } from './login-refresher';
import { LoginService } from './login.service';
import { SealImages } from './seal-images.service';

/** The COSS login API at the vendor's own paths, so a PC front-end needs only a new host and port. */
@ApiTags('login (COSS-compatible)')
@Controller('coss/service/v1')
export class LoginController {
  constructor(
    private readonly logins: LoginService,
    private readonly sealImages: SealImages,
    private readonly events: LoginEvents,
    private readonly refresher: LoginRefresher,
  ) {}

  @Post('startAutoSign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start a QR login; the answer carries the QR content and a rendered image' })
  async startAutoSign(@Body() dto: StartAutoSignDto) {
    return cossOk(await this.logins.start(dto));
  }

  @Post('getSignResult')
  @HttpCode(200)
  @ApiOperation({ summary: 'State of a QR login: UNSIGN, FINISH (verified and stored), EXPIRED or REJECTED' })
  async getSignResult(@Body() dto: GetSignResultDto) {
    return cossOk(await this.logins.result(dto.signDataId));
  }

  @Post('queryImage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Seal image of a logged-in CA user (base64 PNG)' })
  async queryImage(@Body() dto: QueryImageDto) {
    const userId = (dto.userId ?? dto.UserId)!;
    return cossOk({ userId, image: await this.sealImages.get(userId) });
  }

  @Post('endAutoSign')
  @HttpCode(200)
  @ApiOperation({ summary: "End a nurse's signing authorization (logout)" })
  async endAutoSign(@Body() dto: EndAutoSignDto) {
    return cossOk(await this.logins.end(dto.userId));
  }

  @Get('signResult/:signDataId/events')
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'Server-Sent Events: one `status` event per state change of a login, until it ends' })
  async signResultEvents(@Param() params: GetSignResultDto, @Res() reply: FastifyReply): Promise<void> {
    await this.refresher.refresh(params.signDataId);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(reply.request.id),
    });
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
    const subscription = this.events.watch(params.signDataId).subscribe({
      next: (event) => raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`),
      complete: () => raw.end(),
    });
    raw.on('close', () => {
      clearInterval(heartbeat);
      subscription.unsubscribe();
    });
  }
}
