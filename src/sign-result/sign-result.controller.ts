import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { cossOk } from '../common/envelope';
import { writeEventStream } from '../common/http/sse';
import { ApiErrors, ApiEventStream, ApiJsonOrForm, ApiOk } from '../common/openapi/api-contract';
import { STREAM_END, STREAM_ERROR } from '../common/openapi/stream-events';
import { GetSignResultDto, SignResultView } from '../login/dto/get-sign-result.dto';
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
  @ApiJsonOrForm(GetSignResultDto, { handle: { value: { signDataId: 'q3Vb0lM9sR2xW8nY4cT6eJ1hK5pA7dZf' } } })
  @ApiOk(SignResultView, 'The job brought up to date with the vendor')
  @ApiErrors([404, 'NOT_FOUND'], [403, 'CERT_REVOKED'], 502, 503, 504)
  async getSignResult(@Body() dto: GetSignResultDto) {
    return cossOk(await this.results.result(dto.signDataId));
  }

  @Get('signResult/:signDataId/events')
  @ApiOperation({
    summary: 'Server-Sent Events: a `status` event per state change of a login or signing job, until it ends',
  })
  @ApiEventStream('status: the getSignResult view after each change; the stream ends after a final status', {
    status: SignResultView,
    error: STREAM_ERROR,
    end: STREAM_END,
  })
  @ApiErrors([404, 'NOT_FOUND'], [403, 'CERT_REVOKED'], 502, 503, 504)
  async events(@Param() params: GetSignResultDto, @Res() reply: FastifyReply): Promise<void> {
    await this.results.result(params.signDataId);
    writeEventStream(reply, this.results.streams.watch(params.signDataId));
  }
}
