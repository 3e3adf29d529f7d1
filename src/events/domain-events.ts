/**
 * What happened, after it was committed: ids and facts only, never a secret, token, msspId, signature or document
 * content. `type` is stable: listeners (audit, metrics, the console) switch on it.
 */
export type DomainEvent =
  | LoginStarted
  | LoginFinished
  | LoginRejected
  | LoginExpired
  | AuthorizationBound
  | AuthorizationEnded
  | RecordClaimed
  | RecordAwaitingScan
  | RecordSigned
  | RecordFailed
  | RecordChecked
  | TimestampGranted
  | TimestampFailed
  | DocumentApplied
  | SealImageStored
  | OperationStarted
  | OperationAdvanced
  | OperationFinished
  | OperationEnded
  | SealRevoked
  | PlaintextRemoved
  | LoginsPurged
  | EnrollmentCreated
  | EnrollmentChanged
  | EnrollmentRemoved
  | AuditEntryAppended;

export type DomainEventType = DomainEvent['type'];
export type EventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

interface Base {
  /** When the store committed the change. */
  at: Date;
}

export interface LoginStarted extends Base {
  type: 'LoginStarted';
  /** The vendor's job reference (as in the QR code), never the PC's handle. */
  signDataId: string;
  /** 8 hex digits of the SHA-256 of the PC's handle: enough to correlate, never enough to use. */
  handleRef: string;
  provider: string;
  userCode?: string;
  qrExpiresAt: Date;
}

export interface LoginFinished extends Base {
  type: 'LoginFinished';
  signDataId: string;
  provider: string;
  certSerial: string;
  authorizedUntil: Date;
}

export interface LoginRejected extends Base {
  type: 'LoginRejected';
  signDataId: string;
  provider: string;
}

export interface LoginExpired extends Base {
  type: 'LoginExpired';
  signDataId: string;
  provider: string;
}

/** Logins that never finished, removed after LOGIN_RETENTION_HOURS. */
export interface LoginsPurged extends Base {
  type: 'LoginsPurged';
  count: number;
  /** They had started before this time. */
  before: Date;
}

export interface AuthorizationBound extends Base {
  type: 'AuthorizationBound';
  signDataId: string;
  userCode: string;
}

export interface AuthorizationEnded extends Base {
  type: 'AuthorizationEnded';
  signDataId: string;
  provider: string;
}

export interface RecordClaimed extends Base {
  type: 'RecordClaimed';
  recordId: string;
  attemptId: string;
  docId: string;
  docType: string;
  provider: string;
  /** True when a FAILED record was taken over by a new attempt. */
  retaken: boolean;
}

export interface RecordAwaitingScan extends Base {
  type: 'RecordAwaitingScan';
  recordId: string;
  attemptId: string;
  /** The vendor's job reference (as in the QR code), never the PC's handle. */
  signDataId: string;
  /** 8 hex digits of the SHA-256 of the PC's handle. */
  handleRef: string;
}

export interface RecordSigned extends Base {
  type: 'RecordSigned';
  recordId: string;
  attemptId: string;
  docId: string;
  docType: string;
  provider: string;
  certSerial: string;
  signFormat: string;
  /**
   * With timestamps on: the first timestamp attempt, claimed for this instance in the SIGNED update itself, and the
   * signature value (base64, as stored) that the token will cover, so that the stamper needs no read and no claim.
   */
  timestampClaim?: { claimId: string; signResult: string };
}

export interface RecordFailed extends Base {
  type: 'RecordFailed';
  recordId: string;
  provider: string;
  /** The failure type (VENDOR_UNAVAILABLE, REJECTED, EXPIRED, INTERRUPTED, …), never its vendor message. */
  failure: string;
}

export interface RecordChecked extends Base {
  type: 'RecordChecked';
  recordId: string;
  valid: boolean;
  reason?: string;
}

export interface TimestampGranted extends Base {
  type: 'TimestampGranted';
  recordId: string;
  genTime: Date;
  hashAlgorithm: string;
  /** The token's serial number at its TSA. */
  serialNumber: string;
}

export interface TimestampFailed extends Base {
  type: 'TimestampFailed';
  recordId: string;
  /** PENDING: the TSA was down, slow or answered garbage; FAILED: its answer did not pass the checks. Both retried. */
  status: 'PENDING' | 'FAILED';
  reason: string;
  attempts: number;
  nextAttemptAt: Date;
}

export interface DocumentApplied extends Base {
  type: 'DocumentApplied';
  docType: string;
  docId: string;
  recordId: string;
  contentDigestSm3: string;
}

export interface SealImageStored extends Base {
  type: 'SealImageStored';
  provider: string;
}

export interface OperationStarted extends Base {
  type: 'OperationStarted';
  /** The scan service's guid (as in the QR code), never the PC's handle. */
  operationId: string;
  /** 8 hex digits of the SHA-256 of the PC's handle. */
  handleRef: string;
  operation: string;
  provider: string;
}

export interface OperationAdvanced extends Base {
  type: 'OperationAdvanced';
  operationId: string;
  round: number;
}

export interface OperationFinished extends Base {
  type: 'OperationFinished';
  operationId: string;
  operation: string;
}

export interface OperationEnded extends Base {
  type: 'OperationEnded';
  operationId: string;
  operation: string;
  status: 'REJECTED' | 'EXPIRED' | 'FAILED';
  failure: string;
}

export interface SealRevoked extends Base {
  type: 'SealRevoked';
  sealOperationId: string;
  revokedBy: string;
}

export interface PlaintextRemoved extends Base {
  type: 'PlaintextRemoved';
  operationId: string;
  reason: 'DELIVERED' | 'EXPIRED';
}

export interface EnrollmentCreated extends Base {
  type: 'EnrollmentCreated';
  vendor: string;
  userCode: string;
  /** first-use (the UserCode's first verified login), admin or import. */
  source: string;
}

export interface EnrollmentChanged extends Base {
  type: 'EnrollmentChanged';
  vendor: string;
  userCode: string;
  source: string;
}

export interface EnrollmentRemoved extends Base {
  type: 'EnrollmentRemoved';
  vendor: string;
  userCode: string;
}

export interface AuditEntryAppended extends Base {
  type: 'AuditEntryAppended';
  seq: number;
  /** The entry's own type (RecordSigned, RequestsRefused, AUDIT_ANCHOR, …). */
  entryType: string;
}
