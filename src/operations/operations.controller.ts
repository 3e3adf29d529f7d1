import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth';
import type { FastifyReply } from 'fastify';
import { ok } from '../common/envelope';
import { AuditRead } from '../evidence/audit/reads/audit-read.decorator';
import { writeEventStream } from '../common/http/sse';
import { ApiErrors, ApiEventStream, ApiJsonOrForm, ApiOk, ErrorSpec, link } from '../common/openapi/api-contract';
import { STREAM_END, STREAM_ERROR } from '../common/openapi/stream-events';
import { OPERATION_RESULTS, OperationView, StartedOperationView } from './dto/operation.view';
import { SealDataView } from './dto/seal-data.view';
import { DecryptDto, EncryptDto, OperationIdDto, SealDataDto, SealDto, UnsealDto } from './dto/start-operation.dto';
import { OperationViews } from './operation-views';
import { OperationsService } from './operations.service';

const HANDLE = 'q3Vb0lM9sR2xW8nY4cT6eJ1hK5pA7dZf';
const STARTED = 'The operation, PENDING until the nurse confirms on her phone; follow it by operationId';
const FOLLOW = {
  get: link('GET /ca/operations/{operationId}', { operationId: 'operationId' }, 'path'),
  result: link('POST /ca/operations/result', { operationId: 'operationId' }),
};
/** What starting a phone operation can answer besides the boundary's 400/413/415. */
const START_ERRORS: ErrorSpec[] = [422, 502, [503, 'DATABASE_UNAVAILABLE'], 504];
const VIEW_ERRORS: ErrorSpec[] = [[404, 'NOT_FOUND'], 502, [503, 'DATABASE_UNAVAILABLE', 'CRL_STALE'], 504];

@ApiTags('ca operations (Anhui scan service)')
@ApiExtraModels(...OPERATION_RESULTS)
@Controller('ca/operations')
export class OperationsController {
  constructor(
    private readonly operations: OperationsService,
    private readonly views: OperationViews,
  ) {}

  @Post('encrypt')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Encrypt for the nurse’s certificate: she scans, her phone reports the certificate, the gateway encrypts (SM2 or RSA-OAEP)',
  })
  @ApiJsonOrForm(EncryptDto, { text: { value: { plaintext: '护理记录 DOC-1', provider: 'anhui' } } })
  @ApiOk(StartedOperationView, STARTED, { links: FOLLOW })
  @ApiErrors(...START_ERRORS)
  async encrypt(@Body() dto: EncryptDto) {
    return ok(await this.operations.encrypt(dto));
  }

  @Post('decrypt')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Decrypt on the nurse’s phone; the plaintext is returned once, to the first read by the handle after she confirms',
  })
  @ApiJsonOrForm(DecryptDto, { ciphertext: { value: { ciphertext: 'BHq0c2lnbmVkIGRhdGE=' } } })
  @ApiOk(StartedOperationView, STARTED, { links: FOLLOW })
  @ApiErrors(...START_ERRORS)
  async decrypt(@Body() dto: DecryptDto) {
    return ok(await this.operations.decrypt(dto));
  }

  @Post('seal')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Seal a PDF hash in two rounds: the phone names its seal company, the gateway picks the seal image and stores the hash, the phone signs it',
  })
  @ApiJsonOrForm(SealDto, {
    hash: {
      value: {
        documentHash: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
        sealName: '护理专用章',
      },
    },
  })
  @ApiOk(StartedOperationView, STARTED, {
    links: { ...FOLLOW, unseal: link('POST /ca/operations/unseal', { sealOperationId: 'operationId' }) },
  })
  @ApiErrors(...START_ERRORS)
  async seal(@Body() dto: SealDto) {
    return ok(await this.operations.seal(dto));
  }

  @Post('unseal')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a finished seal; only a signature by the certificate that sealed revokes it' })
  @ApiJsonOrForm(UnsealDto, { seal: { value: { sealOperationId: HANDLE } } })
  @ApiOk(StartedOperationView, STARTED, { links: FOLLOW })
  @ApiErrors([404, 'NOT_FOUND'], 409, ...START_ERRORS)
  async unseal(@Body() dto: UnsealDto) {
    return ok(await this.operations.unseal(dto));
  }

  @Post('seal-data')
  @HttpCode(200)
  @RequireScope('read')
  @AuditRead('SealDataRead', (request) => {
    const body = request.body as SealDataDto;
    return { certSerial: body.caSerialId, ...(body.provider && { vendor: body.provider }) };
  })
  @ApiOperation({ summary: 'The user and seal images of a certificate serial (/api/getSeal), answered at once' })
  @ApiJsonOrForm(SealDataDto, { serial: { value: { caSerialId: '1A2B3C' } } })
  @ApiOk(SealDataView, 'The user and the seals of the certificate')
  @ApiErrors([404, 'CERTIFICATE_NOT_FOUND'], 422, 502, 504)
  async sealData(@Body() dto: SealDataDto) {
    return ok(await this.operations.sealData(dto));
  }

  @Post('result')
  @HttpCode(200)
  @ApiOperation({ summary: 'State of an operation (as GET /ca/operations/{operationId})' })
  @ApiJsonOrForm(OperationIdDto, { handle: { value: { operationId: HANDLE } } })
  @ApiOk(OperationView, 'The operation brought up to date')
  @ApiErrors(...VIEW_ERRORS)
  async result(@Body() dto: OperationIdDto) {
    return ok(await this.views.view(dto.operationId));
  }

  @Get(':operationId')
  @ApiOperation({
    summary: 'State of an operation: PENDING, FINISH (with its result), REJECTED, EXPIRED or FAILED (with its failure)',
  })
  @ApiOk(OperationView, 'The operation brought up to date')
  @ApiErrors(...VIEW_ERRORS)
  async get(@Param() params: OperationIdDto) {
    return ok(await this.views.view(params.operationId));
  }

  @Get(':operationId/events')
  @ApiOperation({ summary: 'Server-Sent Events: a `status` event per change of the operation, until it ends' })
  @ApiEventStream('status: the operation view after each change (a decrypted plaintext is never sent here)', {
    status: OperationView,
    error: STREAM_ERROR,
    end: STREAM_END,
  })
  @ApiErrors([404, 'NOT_FOUND'], [503, 'DATABASE_UNAVAILABLE'])
  async events(@Param() params: OperationIdDto, @Res() reply: FastifyReply): Promise<void> {
    await this.views.requireExists(params.operationId);
    writeEventStream(reply, this.views.streams.watch(params.operationId));
  }
}
