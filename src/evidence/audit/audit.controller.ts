import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../../auth';
import { ok } from '../../common/envelope';
import { ApiErrors, ApiOk } from '../../common/openapi/api-contract';
import { AuditVerifier } from './audit-verifier';
import { AuditVerifyView, VerifyAuditQuery } from './dto/verify-audit.dto';

@ApiTags('audit')
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly verifier: AuditVerifier) {}

  @Get('verify')
  @RequireScope('admin')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Verify the audit chain (or a seq range): hashes, links, macs and anchor tokens' })
  @ApiOk(AuditVerifyView, 'The report; valid false with firstBroken is still a 200')
  @ApiErrors([400, 'VALIDATION_FAILED'], [503, 'DATABASE_UNAVAILABLE', 'AUDIT_UNVERIFIABLE'])
  async verify(@Query() query: VerifyAuditQuery) {
    const { valid, entries, anchors, firstBroken } = await this.verifier.verify(query.fromSeq, query.toSeq);
    const view: AuditVerifyView = { valid, entries, anchors, firstBroken };
    return ok(view);
  }
}
