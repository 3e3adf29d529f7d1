import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditAnchorJob } from './audit-anchor.job';
import { AuditLogEntry, AuditLogEntrySchema } from './audit-log.schema';
import { AuditLogStore } from './audit-log.store';
import { AuditOutboxDrain } from './audit-outbox.drain';
import { AuditVerifier } from './audit-verifier';
import { auditConfig } from './audit.config';

/** The tamper-evident audit chain: its store, the outbox drain, the anchor job and the verifier. */
@Module({
  imports: [
    ConfigModule.forFeature(auditConfig),
    MongooseModule.forFeature([{ name: AuditLogEntry.name, schema: AuditLogEntrySchema }]),
  ],
  providers: [AuditLogStore, AuditOutboxDrain, AuditAnchorJob, AuditVerifier],
  exports: [AuditLogStore, AuditOutboxDrain, AuditAnchorJob, AuditVerifier],
})
export class AuditModule {}
