import type { Schema } from 'mongoose';
import { CaEnrollmentSchema } from '../enrollment/schemas/ca-enrollment.schema';
import { AuditLogEntrySchema } from '../evidence/audit/audit-log.schema';
import { RefusalWindowSchema } from '../evidence/audit/refusals/refusal-window.schema';
import { CaAuthorizationSchema } from '../login/schemas/ca-authorization.schema';
import { CaLoginCounterSchema } from '../login/schemas/ca-login-counter.schema';
import { CaSealImageSchema } from '../login/schemas/ca-seal-image.schema';
import { CaOperationSchema } from '../operations/schemas/ca-operation.schema';
import { CaCrlSchema } from '../evidence/crl/ca-crl.schema';
import { CaExtendedDataSchema } from '../signing/schemas/ca-extended-data.schema';
import { NursingRecordSchema } from '../signing/schemas/nursing-record.schema';
import { coveringIndex, HotQuery } from './index-coverage';

/** Every collection whose transitions write audit items: the drain looks for documents that still carry one. */
const OUTBOX_DRAIN: HotQuery = {
  name: 'audit outbox drain: items not yet in the chain (collection-outbox pending)',
  equality: ['auditOutbox.key'],
};

/**
 * None of the engines in CI has `explain` (and two ignore non-unique indexes), so this checks what real MongoDB needs:
 * each query the gateway runs per request or per sweep has a declared index that leads with its equality fields and
 * then its sort or range. The list is taken from the code; a new hot query belongs here.
 */
const HOT_QUERIES: [string, Schema, HotQuery[]][] = [
  [
    'caExtendedData',
    CaExtendedDataSchema,
    [
      { name: 'claim: record by idempotency key (signature-record.store findByKey)', equality: ['idempotencyKey'] },
      { name: 'attempt transitions by _id (+ attemptId, status) (signature-record.store)', equality: ['_id'] },
      {
        name: 'records of a document, newest first (signature-record.store)',
        equality: ['docId', 'docType'],
        sort: { createdAt: -1, _id: -1 },
      },
      { name: 'scan job by its vendor signDataId (signature-record.store)', equality: ['signDataId'] },
      {
        name: "scan job by the hash of the PC's handle (signature-record.store findByJobHandle)",
        equality: ['jobHandleHash'],
      },
      {
        name: 'recovery: open attempts whose lease ran out (signature-record.store failInterrupted)',
        equality: ['status'],
        range: ['leaseUntil'],
      },
      {
        name: 'metrics scrape: attempts under their lease (signature-record.store countPending)',
        equality: ['status'],
        range: ['leaseUntil'],
      },
      {
        name: 'recovery: SIGNED records not yet applied to their document (signature-record.store listUnapplied)',
        equality: ['documentApplied', 'status'],
      },
      {
        name: 'stamper: due timestamps, oldest first (signature-record.store claimTimestamp)',
        equality: ['timestamp.status'],
        sort: { 'timestamp.nextAttemptAt': 1 },
        residual: { status: 'a record with a timestamp is SIGNED' },
      },
      OUTBOX_DRAIN,
    ],
  ],
  [
    'nursingDocuments / riskAssessments',
    NursingRecordSchema,
    [
      { name: 'document by docId, and its conditional apply (nursing-document.store)', equality: ['docId'] },
      OUTBOX_DRAIN,
    ],
  ],
  [
    'caAuthorizations',
    CaAuthorizationSchema,
    [
      { name: 'login by signDataId, its poll lease and settle (authorization.store)', equality: ['signDataId'] },
      { name: "login by the hash of the PC's handle (authorization.store findByHandle)", equality: ['handleHash'] },
      {
        name: 'authorization by the hash of its msspId token (authorization.store findByToken)',
        equality: ['tokenHash'],
        residual: { status: 'FINISH' },
      },
      {
        name: 'logins expired here, still watched at the vendor (authorization.store lateWatched)',
        equality: [],
        range: ['lateWatchUntil'],
        residual: { status: 'EXPIRED for all of them', nextPollAt: 'due' },
      },
      {
        name: "a nurse's newest authorization by msspId (authorization.store)",
        equality: ['msspId'],
        sort: { finishedAt: -1 },
        residual: { status: 'FINISH for nearly every document with an msspId' },
      },
      {
        name: 'open authorizations of a user to end (authorization.store end)',
        equality: ['msspId'],
        residual: { status: 'as above', endedAt: 'null for the few open ones of one user' },
      },
      {
        name: 'metrics scrape: logins waiting for a scan (authorization.store countPending)',
        equality: ['status'],
        range: ['qrExpiresAt'],
      },
      {
        name: "login limit: one address's logins waiting for a scan, soonest expiry first (authorization.store pendingExpiries)",
        equality: ['clientAddress', 'status'],
        sort: { qrExpiresAt: 1 },
      },
      {
        name: 'sweep: never-finished logins past their retention (authorization.store purgeUnfinished)',
        equality: ['status'],
        range: ['createdAt'],
      },
    ],
  ],
  [
    'caLoginCounters',
    CaLoginCounterSchema,
    [
      { name: 'login limit: one address and minute (login-counter.store hit)', equality: ['key'] },
      { name: 'sweep: counters of past minutes (login-counter.store sweep)', equality: [], range: ['minute'] },
    ],
  ],
  [
    'caEnrollments',
    CaEnrollmentSchema,
    [
      {
        name: "a UserCode's enrollment at a vendor (enrollment.store find, put, enrollFirstUse)",
        equality: ['vendor', 'userCode'],
      },
      {
        name: 'who holds an identity at a vendor (enrollment.store put, enrollFirstUse)',
        equality: ['vendor', 'identity'],
        residual: { userCode: 'one document per (vendor, identity)' },
      },
      {
        name: "a UserCode's enrollments, by vendor (enrollment.store list, remove)",
        equality: ['userCode'],
        sort: { vendor: 1 },
      },
      {
        name: 'tombstones of a removal once drained (enrollment.store auditOutbox)',
        equality: ['removed.userCode'],
        residual: { 'removed.vendor': 'a UserCode has a tombstone or two', auditOutbox: 'empty once drained' },
      },
      OUTBOX_DRAIN,
    ],
  ],
  [
    'caSealImages',
    CaSealImageSchema,
    [
      { name: 'seal image by user (seal-image.store)', equality: ['userId'] },
      { name: 'seal image by user and provider (seal-image.store)', equality: ['userId', 'provider'] },
    ],
  ],
  [
    'caOperations',
    CaOperationSchema,
    [
      {
        name: 'operation by operationId, its moves, revoke and takePlaintext (operation.store)',
        equality: ['operationId'],
      },
      { name: "operation by the hash of the PC's handle (operation.store findByHandle)", equality: ['handleHash'] },
      {
        name: 'sweep: pending operations past their expiry; metrics scrape: before it (operation.store countPending)',
        equality: ['status'],
        range: ['expiresAt'],
      },
      {
        name: 'sweep: decrypted plaintexts past their expiry (operation.store)',
        equality: [],
        range: ['resultExpiresAt'],
        residual: { type: 'decrypt', status: 'FINISH', 'result.removed': 'absent until removed' },
      },
      OUTBOX_DRAIN,
    ],
  ],
  [
    'caAuditLog',
    AuditLogEntrySchema,
    [
      { name: 'head: the newest entry (audit-log.store head)', equality: [], sort: { seq: -1 } },
      { name: 'verify: a seq range in order (audit-log.store range)', equality: [], range: ['seq'] },
      { name: 'anchor job: the newest anchor (audit-log.store lastAnchor)', equality: ['type'], sort: { seq: -1 } },
      {
        name: 'evidence export: the first anchor after an entry (audit-log.store firstAnchorAfter)',
        equality: ['type'],
        sort: { seq: 1 },
      },
      {
        name: "evidence export: a record's entries in order (audit-log.store forRecord)",
        equality: ['subject.recordId'],
        sort: { seq: 1 },
      },
      { name: 'outbox drain: an entry by its idempotency key (audit-log.store append)', equality: ['idempotencyKey'] },
    ],
  ],
  [
    'caCrls',
    CaCrlSchema,
    [{ name: 'CRL bytes by SM3 digest: keep (upsert) and long-term validation (crl.store)', equality: ['sm3'] }],
  ],
  [
    'caAuditRefusals',
    RefusalWindowSchema,
    [
      { name: 'count a refusal into its window (refusal-window.store add)', equality: ['key'] },
      {
        name: 'windows whose minute closed (refusal-window.store closeDue)',
        equality: [],
        range: ['minute'],
        residual: { count: 'above 0 for the few windows of the last minutes' },
      },
      OUTBOX_DRAIN,
    ],
  ],
];

describe('Indexes for the hot queries', () => {
  for (const [collection, schema, queries] of HOT_QUERIES) {
    describe(collection, () => {
      it.each(queries.map((query) => [query.name, query] as const))('%s', (_name, query) => {
        expect(coveringIndex(schema, query)).toBeDefined();
      });
    });
  }

  it('finds no covering index where there is none', () => {
    const [, schema] = HOT_QUERIES[0];
    expect(coveringIndex(schema, { name: 'by userCode', equality: ['userCode'] })).toBeUndefined();
    expect(
      coveringIndex(schema, { name: 'wrong sort', equality: ['docId', 'docType'], sort: { updatedAt: -1 } }),
    ).toBeUndefined();
    expect(coveringIndex(schema, { name: 'range first', equality: [], range: ['leaseUntil'] })).toBeUndefined();
  });
});
