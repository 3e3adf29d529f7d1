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
  | EnrollmentRemoved;

export type DomainEventType = DomainEvent['type'];
export type EventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

interface Base {
  /** When the store committed the change. */
  at: Date;
}

export interface LoginStarted extends Base {
  type: 'LoginStarted';
  signDataId: string;
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
  /** Set when the gateway refused the login (IDENTITY_MISMATCH); absent when the nurse declined. */
  reason?: string;
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
  signDataId: string;
}

export interface RecordSigned extends Base {
  type: 'RecordSigned';
  recordId: string;
  attemptId: string;
  docId: string;
  docType: string;
  certSerial: string;
  signFormat: string;
}

export interface RecordFailed extends Base {
  type: 'RecordFailed';
  recordId: string;
  /** The failure type (VENDOR_UNAVAILABLE, REJECTED, EXPIRED, INTERRUPTED, …), never its vendor message. */
  failure: string;
}

export interface RecordChecked extends Base {
  type: 'RecordChecked';
  recordId: string;
  valid: boolean;
  reason?: string;
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
  operationId: string;
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
