import { createHash } from 'node:crypto';
import type { AuditActor, AuditEntryInput } from '../evidence/audit/audit-entry';

export type EnrollmentEntryType = 'ENROLLMENT_CREATED' | 'ENROLLMENT_CHANGED' | 'ENROLLMENT_REMOVED';

/** Who changed an enrollment: an administrator's API key (and address), or the login that enrolled on first use. */
export type EnrollmentActor = Pick<AuditActor, 'apiKeyId' | 'address' | 'handleRef'> & { requestId?: string };

/**
 * The audit entry of one enrollment change. The identity itself never enters the chain (a COSS identity is the
 * vendor's permanent user id, an Anhui one a nurse's name): only the first 16 hex digits of its SM3 hash, enough to
 * tell whether two entries name the same identity.
 */
export function enrollmentEntry(
  type: EnrollmentEntryType,
  outcome: string,
  enrollment: { vendor: string; userCode: string; identity: string },
  actor: EnrollmentActor,
): AuditEntryInput {
  const { requestId, ...who } = actor;
  return {
    type,
    outcome,
    actor: Object.fromEntries(Object.entries(who).filter(([, value]) => value !== undefined)),
    subject: {
      userCode: enrollment.userCode,
      vendor: enrollment.vendor,
      identityRef: identityRef(enrollment.identity),
    },
    ...(requestId && { requestId }),
    occurredAt: new Date(),
  };
}

export function identityRef(identity: string): string {
  return createHash('sm3').update(identity, 'utf8').digest('hex').slice(0, 16);
}
