import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuditOutboxDrain } from '../evidence/audit/audit-outbox.drain';
import { EnrollmentStore } from './enrollment.store';

/** Hands the enrollments' audit outbox to the drain, which empties it at start-up and then every second. */
@Injectable()
export class EnrollmentAudit implements OnModuleInit {
  constructor(
    private readonly enrollments: EnrollmentStore,
    private readonly drain: AuditOutboxDrain,
  ) {}

  onModuleInit(): void {
    this.drain.register(this.enrollments.auditOutbox());
  }
}
