import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, mongo, Types, UpdateQuery } from 'mongoose';
import type { VerifiedSignature } from '../ca/ca.types';
import { takePollLease } from '../common/db/poll-lease';
import { updateEach } from '../common/db/update-each';
import { ConflictError } from '../common/errors';
import { auditItem, collectionOutbox, pushAuditItem } from '../evidence/audit/collection-outbox.store';
import type { AuditOutboxSource } from '../evidence/audit/audit-outbox.drain';
import type { RevocationRef } from '../evidence/crl/revocation-ref.schema';
import { EventBus } from '../events';
import type { TimestampFailure, TimestampToken } from '../evidence/timestamp';
import { timestampLeaseMs, tsaConfig } from '../evidence/timestamp/tsa.config';
import { CaExtendedData, RecordFailure, StoredRecord } from './schemas/ca-extended-data.schema';

/** A record to claim; signing gives its `_id` (the version-2 envelope names it), older callers let the driver. */
export type NewRecord = Partial<Pick<CaExtendedData, 'envelopeVersion' | 'claimedAt'>> & {
  _id?: Types.ObjectId;
} & Pick<
    CaExtendedData,
    | 'idempotencyKey'
    | 'userCode'
    | 'msspId'
    | 'provider'
    | 'docId'
    | 'docType'
    | 'signedContent'
    | 'contentDigestSm3'
    | 'authorizationSignDataId'
  >;

/** What the stamper needs of a claimed record, as the claim's projection returns it: the signature, the attempts. */
export interface TimestampClaim {
  _id: Types.ObjectId;
  signResult?: string;
  timestamp?: { attempts?: number };
}

export interface Attempt {
  attemptId: string;
  leaseUntil: Date;
}

export interface ScanJob {
  signDataId: string;
  jobHandleHash: string;
  qrCode: string;
  expiresAt: Date;
  expectedSignerSm3: string;
}

const OPEN = { $in: ['PENDING', 'PENDING_SCAN'] };

export const INTERRUPTED: RecordFailure = {
  type: 'INTERRUPTED',
  message: 'The signing attempt ended without a verified signature (crash, restart or expiry); submit again',
};

/**
 * caExtendedData. An attempt holds a record by its attemptId: every transition of an open record is conditional on
 * it, so an attempt that recovery or a retry has taken over can no longer sign, fail or publish anything.
 */
@Injectable()
export class SignatureRecordStore {
  constructor(
    @InjectModel(CaExtendedData.name) private readonly records: Model<CaExtendedData>,
    private readonly events: EventBus,
    @Optional()
    @Inject(tsaConfig.KEY)
    private readonly tsa?: Pick<ConfigType<typeof tsaConfig>, 'disabled' | 'timeoutMs'>,
  ) {}

  private get timestamps(): boolean {
    return this.tsa !== undefined && !this.tsa.disabled;
  }

  findById(recordId: Types.ObjectId | string): Promise<StoredRecord | null> {
    return this.records.findById(recordId).lean<StoredRecord>().exec();
  }

  /** The record of the interactive signing job whose handle hashes to this. */
  findByJobHandle(jobHandleHash: string): Promise<StoredRecord | null> {
    return this.records.findOne({ jobHandleHash }).lean<StoredRecord>().exec();
  }

  listForDocument(docId: string, docType: string): Promise<StoredRecord[]> {
    return this.records.find({ docId, docType }).sort({ createdAt: -1, _id: -1 }).lean<StoredRecord[]>().exec();
  }

  /** Signing attempts under way: an open record whose lease has not run out. */
  countPending(now: Date): Promise<number> {
    return this.records.countDocuments({ status: OPEN, leaseUntil: { $gt: now } }).exec();
  }

  listUnapplied(): Promise<StoredRecord[]> {
    return this.records.find({ status: 'SIGNED', documentApplied: false }).lean<StoredRecord[]>().exec();
  }

  /**
   * Finds the record this content already has, else inserts the PENDING one; the unique key makes one insert win
   * when identical requests race. A FAILED record is retaken. Otherwise the record belongs to another attempt and is
   * only read, so a follower can never write back a stale record (FerretDB loses concurrent updates).
   */
  async claim(fields: NewRecord, attempt: Attempt): Promise<{ record: StoredRecord; mine: boolean }> {
    let record = await this.findByKey(fields.idempotencyKey);
    if (!record) {
      try {
        // The driver's insert: every field is set here, and a hydrated mongoose document is the costliest step of a signature.
        const now = new Date();
        const fresh = {
          ...fields,
          ...attempt,
          status: 'PENDING',
          documentApplied: false,
          createdAt: now,
          updatedAt: now,
          auditOutbox: [
            auditItem({
              type: 'RecordClaimed',
              outcome: 'PENDING',
              subject: { docId: fields.docId, userCode: fields.userCode, vendor: fields.provider },
              occurredAt: now,
            }),
          ],
        } as CaExtendedData;
        const { insertedId } = await this.records.collection.insertOne(fresh);
        const inserted = { ...fresh, _id: insertedId } as StoredRecord;
        this.claimed(inserted, false);
        return { record: inserted, mine: true };
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
      }
      record = await this.findByKey(fields.idempotencyKey);
      if (!record) throw new ConflictError('The signature record changed while it was being read; submit again');
    }
    if (record.status === 'FAILED') {
      const retaken = await this.retake(record, attempt);
      if (retaken) return { record: retaken, mine: true };
    }
    return { record, mine: false };
  }

  /** FAILED → PENDING under a new attempt; null when another request retook it first. */
  async retake(record: StoredRecord, attempt: Attempt): Promise<StoredRecord | null> {
    const retaken = await this.move(
      { _id: record._id, status: 'FAILED' },
      {
        $set: { status: 'PENDING', ...attempt },
        $unset: { failure: 1 },
        ...pushAuditItem({ type: 'RecordClaimed', outcome: 'RETAKEN', occurredAt: new Date() }),
      },
    );
    if (retaken) this.claimed(retaken, true);
    return retaken;
  }

  /** PENDING → PENDING_SCAN: an interactive vendor answered with a QR code the nurse must confirm. */
  async awaitScan(recordId: Types.ObjectId, attemptId: string, job: ScanJob): Promise<StoredRecord | null> {
    const pending = await this.move(
      { _id: recordId, attemptId, status: 'PENDING' },
      {
        $set: {
          status: 'PENDING_SCAN',
          signDataId: job.signDataId,
          jobHandleHash: job.jobHandleHash,
          qrCode: job.qrCode,
          leaseUntil: job.expiresAt,
          expectedSignerSm3: job.expectedSignerSm3,
        },
        ...pushAuditItem({ type: 'RecordAwaitingScan', outcome: 'PENDING_SCAN', occurredAt: new Date() }),
      },
    );
    if (pending) {
      this.events.emit({
        type: 'RecordAwaitingScan',
        at: new Date(),
        recordId: String(recordId),
        attemptId,
        signDataId: job.signDataId,
        handleRef: job.jobHandleHash.slice(0, 8),
      });
    }
    return pending;
  }

  /** The right to poll the vendor about a PENDING_SCAN job now (see takePollLease). */
  lease(record: StoredRecord, intervalMs: number): Promise<StoredRecord | null> {
    const filter = { _id: record._id, status: 'PENDING_SCAN' };
    return takePollLease(this.records, filter, intervalMs, record) as Promise<StoredRecord | null>;
  }

  /** PENDING | PENDING_SCAN → SIGNED with a verified signature; null when the attempt no longer holds the record. */
  async markSigned(
    recordId: Types.ObjectId,
    attemptId: string,
    signature: VerifiedSignature,
    vendorJobId?: string,
    appId?: string,
    revocation?: RevocationRef,
  ): Promise<StoredRecord | null> {
    const signedAt = new Date();
    const cert = signature.certificate;
    const timestampClaimId = this.timestamps ? randomUUID() : undefined;
    const signed = await this.move(
      { _id: recordId, attemptId, status: OPEN },
      {
        $set: {
          status: 'SIGNED',
          signFormat: signature.format,
          signResult: signature.signature,
          signCert: cert.der.toString('base64'),
          certSerial: cert.serialNumber,
          certSubject: cert.subject,
          certIssuer: cert.issuer,
          ...(signature.chain?.length && { signChain: signature.chain.map((issuer) => issuer.der.toString('base64')) }),
          verification: { valid: true, verifiedAt: signedAt },
          ...(revocation && { revocation }),
          signedAt,
          // In the same update as SIGNED, and claimed for this instance's stamper: a crash right after it leaves a
          // PENDING timestamp that the sweep takes once the lease has run out.
          ...(timestampClaimId && {
            timestamp: {
              status: 'PENDING',
              attempts: 0,
              claimId: timestampClaimId,
              nextAttemptAt: new Date(signedAt.getTime() + timestampLeaseMs(this.tsa!)),
            },
          }),
          ...(vendorJobId && { signDataId: vendorJobId }),
          ...(appId && { appId }),
        },
        ...pushAuditItem({ type: 'RecordSigned', outcome: 'SIGNED', occurredAt: signedAt }),
      },
    );
    if (signed) {
      this.events.emit({
        type: 'RecordSigned',
        at: signedAt,
        recordId: String(recordId),
        attemptId,
        docId: signed.docId,
        docType: signed.docType,
        provider: signed.provider,
        certSerial: cert.serialNumber,
        signFormat: signature.format,
        ...(timestampClaimId && { timestampClaim: { claimId: timestampClaimId, signResult: signature.signature } }),
      });
    }
    return signed;
  }

  /** PENDING | PENDING_SCAN → FAILED; false when the attempt no longer holds the record. */
  async markFailed(recordId: Types.ObjectId, attemptId: string, failure: RecordFailure): Promise<boolean> {
    const failed = await this.move(
      { _id: recordId, attemptId, status: OPEN },
      { $set: { status: 'FAILED', failure }, ...pushAuditItem(failedEntry(failure)) },
    );
    if (failed) this.failed(failed);
    return failed !== null;
  }

  /** The document carries this signature now (or a newer one): recovery leaves the record alone. */
  async markApplied(recordId: Types.ObjectId): Promise<void> {
    await this.records.updateOne({ _id: recordId, status: 'SIGNED' }, { $set: { documentApplied: true } });
  }

  /** Attempts whose lease ran out without a verified signature (a crash, a restart, an expired QR code) → FAILED. */
  failInterrupted(now: Date): Promise<number> {
    return updateEach(
      this.records,
      { status: OPEN, leaseUntil: { $lt: now } },
      { $set: { status: 'FAILED', failure: INTERRUPTED }, ...pushAuditItem(failedEntry(INTERRUPTED, now)) },
      (record) => this.failed(record as StoredRecord),
    );
  }

  async recordCheck(recordId: Types.ObjectId, check: { valid: boolean; reason?: string }, checkedAt: Date) {
    await this.records.updateOne({ _id: recordId }, { $set: { lastCheck: { ...check, checkedAt } } });
    this.events.emit({ type: 'RecordChecked', at: checkedAt, recordId: String(recordId), ...check });
  }

  /** The audit items its transitions wrote, for AuditOutboxDrain. */
  auditOutbox(): AuditOutboxSource {
    return collectionOutbox('caExtendedData', this.records.collection, 'recordId');
  }

  /**
   * Claims a due timestamp (PENDING or FAILED whose next attempt has come) for `leaseMs`: only the holder of the
   * returned claimId may settle it, and a claimer that dies leaves it due again when the lease runs out. With a
   * recordId, that record only (the RecordSigned listener); without, the oldest due one (the sweep).
   */
  async claimTimestamp(now: Date, leaseMs: number, recordId?: Types.ObjectId | string) {
    const claimId = randomUUID();
    const record = await this.records.collection.findOneAndUpdate(
      {
        ...(recordId && { _id: new Types.ObjectId(String(recordId)) }),
        'timestamp.status': { $in: ['PENDING', 'FAILED'] },
        'timestamp.nextAttemptAt': { $lte: now },
        status: 'SIGNED',
      },
      {
        $set: {
          'timestamp.claimId': claimId,
          'timestamp.nextAttemptAt': new Date(now.getTime() + leaseMs),
          updatedAt: new Date(),
        },
      },
      {
        returnDocument: 'after',
        sort: { 'timestamp.status': 1, 'timestamp.nextAttemptAt': 1 },
        projection: { signResult: 1, 'timestamp.attempts': 1 },
      },
    );
    return record ? { record: record as unknown as TimestampClaim, claimId } : null;
  }

  /** A claimed timestamp → GRANTED with its checked token; false when the claim was lost (lease ran out, retaken). */
  async markTimestamped(recordId: Types.ObjectId, claimId: string, token: TimestampToken): Promise<boolean> {
    const at = new Date();
    const granted = await this.settleTimestamp(
      { _id: recordId, 'timestamp.claimId': claimId },
      {
        $set: {
          'timestamp.status': 'GRANTED',
          'timestamp.token': token.tokenDer.toString('base64'),
          'timestamp.genTime': token.genTime,
          'timestamp.hashAlgorithm': token.hashAlgorithm,
          'timestamp.serialNumber': token.serialNumber,
          'timestamp.policy': token.policy,
          'timestamp.tsaSubject': token.tsaSubject,
          'timestamp.tsaCertificateSm3': token.tsaCertificateSm3,
        },
        $inc: { 'timestamp.attempts': 1 },
        $unset: { 'timestamp.claimId': 1, 'timestamp.nextAttemptAt': 1, 'timestamp.reason': 1, 'timestamp.message': 1 },
        ...pushAuditItem({ type: 'TimestampGranted', outcome: 'GRANTED', occurredAt: at }),
      },
      { _id: 1 },
      at,
    );
    if (granted) {
      this.events.emit({
        type: 'TimestampGranted',
        at,
        recordId: String(recordId),
        genTime: token.genTime,
        hashAlgorithm: token.hashAlgorithm,
        serialNumber: token.serialNumber,
      });
    }
    return granted !== null;
  }

  /** A claimed timestamp → PENDING (TSA down, slow, garbage) or FAILED (an answer that failed its checks), due again at `nextAttemptAt`. */
  async markTimestampFailed(
    recordId: Types.ObjectId,
    claimId: string,
    status: 'PENDING' | 'FAILED',
    failure: TimestampFailure,
    nextAttemptAt: Date,
  ): Promise<boolean> {
    const at = new Date();
    const failed = await this.settleTimestamp(
      { _id: recordId, 'timestamp.claimId': claimId },
      {
        // The reason is a fixed word (UNREACHABLE, IMPRINT_MISMATCH, …); the TSA's message stays on the record.
        ...pushAuditItem({ type: 'TimestampFailed', outcome: `${status}:${failure.reason}`, occurredAt: at }),
        $set: {
          'timestamp.status': status,
          'timestamp.reason': failure.reason,
          'timestamp.message': failure.message,
          'timestamp.nextAttemptAt': nextAttemptAt,
        },
        $inc: { 'timestamp.attempts': 1 },
        $unset: { 'timestamp.claimId': 1 },
      },
      { 'timestamp.attempts': 1 },
      at,
    );
    if (failed) {
      this.events.emit({
        type: 'TimestampFailed',
        at,
        recordId: String(recordId),
        status,
        reason: failure.reason,
        attempts: failed.timestamp?.attempts ?? 0,
        nextAttemptAt,
      });
    }
    return failed !== null;
  }

  private findByKey(idempotencyKey: string): Promise<StoredRecord | null> {
    return this.records.findOne({ idempotencyKey }).lean<StoredRecord>().exec();
  }

  private move(filter: FilterQuery<CaExtendedData>, update: UpdateQuery<CaExtendedData>) {
    return this.records.findOneAndUpdate(filter, update, { new: true }).lean<StoredRecord>().exec();
  }

  /**
   * A claimed timestamp's settling update on the driver's collection, returning `projection` of the record: one runs
   * per signature beside the requests, and mongoose's casting of filter and update cost more than the update itself.
   * The filter and update are the store's own (ids are ObjectIds, values typed), and `updatedAt` is set as mongoose would.
   */
  private async settleTimestamp(
    filter: { _id: Types.ObjectId; 'timestamp.claimId': string },
    update: mongo.UpdateFilter<mongo.Document> & { $set: mongo.Document },
    projection: Record<string, 1>,
    at: Date,
  ): Promise<Pick<StoredRecord, '_id' | 'timestamp'> | null> {
    const settled = await this.records.collection.findOneAndUpdate(
      filter,
      { ...update, $set: { ...update.$set, updatedAt: at } },
      { returnDocument: 'after', projection },
    );
    return settled as Pick<StoredRecord, '_id' | 'timestamp'> | null;
  }

  private claimed(record: StoredRecord, retaken: boolean): void {
    this.events.emit({
      type: 'RecordClaimed',
      at: new Date(),
      recordId: String(record._id),
      attemptId: record.attemptId,
      docId: record.docId,
      docType: record.docType,
      provider: record.provider,
      retaken,
    });
  }

  private failed(record: StoredRecord): void {
    this.events.emit({
      type: 'RecordFailed',
      at: new Date(),
      recordId: String(record._id),
      provider: record.provider,
      failure: record.failure?.type ?? 'UNKNOWN',
    });
  }
}

function failedEntry(failure: RecordFailure, at = new Date()) {
  return { type: 'RecordFailed', outcome: failure.type, occurredAt: at };
}
