import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth';
import type { FastifyReply } from 'fastify';
import { ok } from '../common/envelope';
import { AuditRead } from '../evidence/audit/reads/audit-read.decorator';
import { writeEventStream } from '../common/http/sse';
import { DecryptDto, EncryptDto, OperationIdDto, SealDataDto, SealDto, UnsealDto } from './dto/start-operation.dto';
import { OperationViews } from './operation-views';
import { OperationsService } from './operations.service';

@ApiTags('ca operations (Anhui scan service)')
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
  async encrypt(@Body() dto: EncryptDto) {
    return ok(await this.operations.encrypt(dto));
  }

  @Post('decrypt')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Decrypt on the nurse’s phone; the plaintext is returned once, to the first read by the handle after she confirms',
  })
  async decrypt(@Body() dto: DecryptDto) {
    return ok(await this.operations.decrypt(dto));
  }

  @Post('seal')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Seal a PDF hash in two rounds: the phone names its seal company, the gateway picks the seal image and stores the hash, the phone signs it',
  })
  async seal(@Body() dto: SealDto) {
    return ok(await this.operations.seal(dto));
  }

  @Post('unseal')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a finished seal; only a signature by the certificate that sealed revokes it' })
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
  async sealData(@Body() dto: SealDataDto) {
    return ok(await this.operations.sealData(dto));
  }

  @Post('result')
  @HttpCode(200)
  @ApiOperation({ summary: 'State of an operation (as GET /ca/operations/{operationId})' })
  async result(@Body() dto: OperationIdDto) {
    return ok(await this.views.view(dto.operationId));
  }

  @Get(':operationId')
  @ApiOperation({
    summary: 'State of an operation: PENDING, FINISH (with its result), REJECTED, EXPIRED or FAILED (with its failure)',
  })
  async get(@Param() params: OperationIdDto) {
    return ok(await this.views.view(params.operationId));
  }

  @Get(':operationId/events')
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'Server-Sent Events: a `status` event per change of the operation, until it ends' })
  async events(@Param() params: OperationIdDto, @Res() reply: FastifyReply): Promise<void> {
    await this.views.requireExists(params.operationId);
    writeEventStream(reply, this.views.streams.watch(params.operationId));
  }
}
