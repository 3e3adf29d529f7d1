import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '../../auth';
import { AuditRead } from '../audit/reads/audit-read.decorator';
import { ApiErrors } from '../../common/openapi/api-contract';
import { RecordParams } from '../../signing/dto/record-params.dto';
import { EvidenceExportService } from './evidence-export.service';

@ApiTags('document signing (MNIS)')
@Controller()
export class EvidenceExportController {
  constructor(private readonly evidence: EvidenceExportService) {}

  @Get('windranger/doc/ca/records/:recordId/evidence')
  @RequireScope('read')
  @AuditRead('EvidenceExported', (request) => ({ recordId: (request.params as RecordParams).recordId }))
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'A SIGNED record’s evidence as a ZIP that verifies offline with the OpenSSL CLI (see its VERIFY.md)',
  })
  @ApiProduces('application/zip')
  @ApiOkResponse({
    description:
      'signed.json, signature.der or signature.p7s, signer.pem, chain.pem, timestamp.tsr with tsa.pem and tsa-chain.pem ' +
      '(absent while the timestamp is PENDING), audit.jsonl with its anchors, crl.der (the CRL the signer was checked against, when one was kept), ' +
      'VERIFY.md. 404: no such record; 409: not SIGNED.',
    content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiErrors([404, 'NOT_FOUND'], [409, 'CONFLICT'], [503, 'DATABASE_UNAVAILABLE'])
  async export(@Param() params: RecordParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const bundle = await this.evidence.export(params.recordId);
    reply.header('content-type', 'application/zip');
    reply.header('content-disposition', `attachment; filename="${bundle.fileName}"`);
    return bundle.zip;
  }
}
