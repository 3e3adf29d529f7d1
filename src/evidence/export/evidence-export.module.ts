import { Module } from '@nestjs/common';
import { CaModule } from '../../ca/ca.module';
import { SigningModule } from '../../signing/signing.module';
import { AuditModule } from '../audit/audit.module';
import { CrlModule } from '../crl/crl.module';
import { TsaModule } from '../stamping/tsa.module';
import { EvidenceExportController } from './evidence-export.controller';
import { EvidenceExportService } from './evidence-export.service';

/** GET …/records/{recordId}/evidence: a record's offline-verifiable evidence bundle. */
@Module({
  imports: [SigningModule, AuditModule, TsaModule, CaModule, CrlModule],
  controllers: [EvidenceExportController],
  providers: [EvidenceExportService],
})
export class EvidenceExportModule {}
