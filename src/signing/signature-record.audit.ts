import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuditOutboxDrain } from '../evidence/audit/audit-outbox.drain';
import { SignatureRecordStore } from './signature-record.store';

/** Hands the signature records' audit outbox to the drain, which empties it at start-up and then every second. */
@Injectable()
export class SignatureRecordAudit implements OnModuleInit {
  constructor(
    private readonly records: SignatureRecordStore,
    private readonly drain: AuditOutboxDrain,
  ) {}

  onModuleInit(): void {
    this.drain.register(this.records.auditOutbox());
  }
}
