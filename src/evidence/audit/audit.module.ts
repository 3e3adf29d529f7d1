import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ConfigModule } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditAnchorJob } from './audit-anchor.job';
import { AuditLogEntry, AuditLogEntrySchema } from './audit-log.schema';
import { AuditLogStore } from './audit-log.store';
import { AuditOutboxDrain } from './audit-outbox.drain';
import { AuditVerifier } from './audit-verifier';
import { AuditController } from './audit.controller';
import { auditConfig } from './audit.config';
import { TsaModule } from '../stamping/tsa.module';
import { EventsModule } from '../../events';
import { TSA_TRUST } from '../stamping/tsa-endpoint';
import { TimestampClient } from '../timestamp';
import type { CertificateInfo } from '../../crypto/certificate';
import { HeadTimestamper } from './head-timestamper';
import { TsaHeadTimestamper } from './tsa-head-timestamper';
import { RefusalAuditHook } from './refusals/refusal-audit.hook';
import { RefusalWindow, RefusalWindowSchema } from './refusals/refusal-window.schema';
import { RefusalWindowStore } from './refusals/refusal-window.store';
import { ReadAuditInterceptor } from './reads/read-audit.interceptor';
import { ApiKeysAudit } from './api-keys.audit';

/** Anchors through the configured TSA (or the embedded simulator); checks only, with TSA_DISABLED=true. */
const headTimestamperProvider = {
  provide: HeadTimestamper,
  inject: [{ token: TimestampClient, optional: true }, TSA_TRUST],
  useFactory: (client: TimestampClient | null | undefined, roots: CertificateInfo[]) =>
    new TsaHeadTimestamper(client ?? null, roots),
};

/** The tamper-evident audit chain: its store, the outbox drain, the anchor job and the verifier. */
@Module({
  imports: [
    ConfigModule.forFeature(auditConfig),
    MongooseModule.forFeature([
      { name: AuditLogEntry.name, schema: AuditLogEntrySchema },
      { name: RefusalWindow.name, schema: RefusalWindowSchema },
    ]),
    TsaModule,
    EventsModule,
  ],
  controllers: [AuditController],
  providers: [
    AuditLogStore,
    AuditOutboxDrain,
    AuditAnchorJob,
    AuditVerifier,
    headTimestamperProvider,
    RefusalWindowStore,
    RefusalAuditHook,
    { provide: APP_INTERCEPTOR, useClass: ReadAuditInterceptor },
    ApiKeysAudit,
  ],
  exports: [AuditLogStore, AuditOutboxDrain, AuditAnchorJob, AuditVerifier],
})
export class AuditModule {}
