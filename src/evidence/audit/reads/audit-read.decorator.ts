import { SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuditSubject } from '../audit-entry';

export const AUDIT_READ = 'auditRead';

export interface AuditReadSpec {
  /** The entry type, e.g. `DocumentRead`. */
  type: string;
  /** The ids read, from the request and the handler's answer (the `data` of the envelope); never content. */
  subject: (request: FastifyRequest, data: unknown) => AuditSubject;
}

/**
 * Reading patient data is itself an event: a successful answer of the route appends an audit entry saying which API
 * key (and address) read which ids, before the answer is sent.
 */
export const AuditRead = (type: string, subject: AuditReadSpec['subject']) =>
  SetMetadata(AUDIT_READ, { type, subject } satisfies AuditReadSpec);
