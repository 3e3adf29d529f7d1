import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, UpdateQuery } from 'mongoose';
import { takePollLease } from '../common/db/poll-lease';
import { updateEach } from '../common/db/update-each';
import { AuditEntryInput, shortHandleHash } from '../evidence/audit/audit-entry';
import type { AuditOutboxSource } from '../evidence/audit/audit-outbox.drain';
import { auditItem, collectionOutbox, pushAuditItem } from '../evidence/audit/collection-outbox.store';
import { EventBus } from '../events';
import { CaOperation, ChosenSeal, OperationFailure } from './schemas/ca-operation.schema';

export type NewOperation = Omit<CaOperation, 'status' | 'createdAt' | 'updatedAt'>;

/**
 * Every state change of an operation is one conditional findOneAndUpdate: a PENDING operation (in its current seal
 * round) moves on once, and whoever loses a race reads the winner's state instead of writing over it.
 */
@Injectable()
export class OperationStore {
  constructor(
    @InjectModel(CaOperation.name) private readonly operations: Model<CaOperation>,
    private readonly events: EventBus,
  ) {}

  async start(operation: NewOperation): Promise<void> {
    const at = new Date();
    const started = operationEntry('OperationStarted', `PENDING:${operation.type}`, at, {
      actor: { handleHash: shortHandleHash(operation.handleHash) },
      subject: { vendor: operation.provider },
    });
    await this.operations.create({ ...operation, status: 'PENDING', auditOutbox: [auditItem(started)] });
    this.events.emit({
      type: 'OperationStarted',
      at,
      operationId: operation.operationId,
      handleRef: operation.handleHash.slice(0, 8),
      operation: operation.type,
      provider: operation.provider,
    });
  }

  countPending(now: Date): Promise<number> {
    return this.operations.countDocuments({ status: 'PENDING', expiresAt: { $gt: now } }).exec();
  }

  find(operationId: string): Promise<CaOperation | null> {
    return this.operations.findOne({ operationId }).lean<CaOperation>().exec();
  }

  /** The operation whose handle hashes to this (see per-login-secret). */
  findByHandle(handleHash: string): Promise<CaOperation | null> {
    return this.operations.findOne({ handleHash }).lean<CaOperation>().exec();
  }

  /** The lease: only the caller that moves nextPollAt asks the vendor; null for everyone else until it runs out. */
  lease(current: CaOperation, intervalMs: number): Promise<CaOperation | null> {
    return takePollLease(this.operations, { operationId: current.operationId, status: 'PENDING' }, intervalMs, current);
  }

  /**
   * Seal round 1 → 2: the app named its seal company and the chosen seal is stored; the QR has been used, so the nurse
   * gets a new deadline to sign. `moved` is false when another caller moved the operation first.
   */
  async advance(
    current: CaOperation,
    next: { seal: ChosenSeal; signatureCompanyCode: string; expiresAt: Date },
  ): Promise<{ operation: CaOperation; moved: boolean }> {
    const entry = operationEntry('OperationAdvanced', 'ROUND_2', new Date());
    const advanced = await this.move(current, { $set: { round: 2, ...next }, ...pushAuditItem(entry) });
    if (advanced.moved) {
      this.events.emit({ type: 'OperationAdvanced', at: new Date(), operationId: current.operationId, round: 2 });
    }
    return advanced;
  }

  /** Applies `update` to a still PENDING operation in the same round as `current`; `moved` is false when another won. */
  private async move(
    current: CaOperation,
    update: UpdateQuery<CaOperation>,
  ): Promise<{ operation: CaOperation; moved: boolean }> {
    const filter: FilterQuery<CaOperation> = { operationId: current.operationId, status: 'PENDING' };
    if (current.round !== undefined) filter.round = current.round;
    const moved = await this.operations.findOneAndUpdate(filter, update, { new: true }).lean<CaOperation>().exec();
    if (moved) return { operation: moved, moved: true };
    return { operation: (await this.find(current.operationId)) ?? current, moved: false };
  }

  async finish(
    current: CaOperation,
    result: Record<string, unknown>,
    extra: Partial<CaOperation> = {},
  ): Promise<CaOperation> {
    const set = { status: 'FINISH', result, finishedAt: new Date(), ...extra };
    const entry = operationEntry('OperationFinished', 'FINISH', set.finishedAt, {
      subject: { vendor: current.provider },
    });
    const finished = await this.move(current, { $set: set, $unset: { plaintext: '' }, ...pushAuditItem(entry) });
    if (finished.moved) {
      this.events.emit({
        type: 'OperationFinished',
        at: set.finishedAt,
        operationId: current.operationId,
        operation: current.type,
      });
    }
    return finished.operation;
  }

  async end(
    current: CaOperation,
    status: 'REJECTED' | 'EXPIRED' | 'FAILED',
    failure: OperationFailure,
  ): Promise<CaOperation> {
    const finishedAt = new Date();
    const ended = await this.move(current, {
      $set: { status, failure, finishedAt },
      $unset: { plaintext: '' },
      ...pushAuditItem(operationEntry('OperationEnded', `${status}:${failure.type}`, finishedAt)),
    });
    if (ended.moved) this.ended(ended.operation);
    return ended.operation;
  }

  /** Revokes a finished seal for its own sealer; an unseal that already revoked it may do so again (crash recovery). */
  async revoke(
    sealOperationId: string,
    sealerSm3: string,
    unsealOperationId: string,
    at: Date,
  ): Promise<CaOperation | null> {
    const revoked = await this.operations
      .findOneAndUpdate(
        {
          operationId: sealOperationId,
          type: 'seal',
          status: 'FINISH',
          sealerSm3,
          revokedBy: { $in: [null, unsealOperationId] },
        },
        {
          $set: { revokedAt: at, revokedBy: unsealOperationId },
          ...pushAuditItem(operationEntry('SealRevoked', `REVOKED_BY:${unsealOperationId}`, at)),
        },
        { new: true },
      )
      .lean<CaOperation>()
      .exec();
    if (revoked) this.events.emit({ type: 'SealRevoked', at, sealOperationId, revokedBy: unsealOperationId });
    return revoked;
  }

  /** Removes a decrypted plaintext and answers the operation as it was before, so exactly one reader gets it. */
  async takePlaintext(operationId: string, now: Date): Promise<CaOperation | null> {
    const taken = await this.operations
      .findOneAndUpdate(
        {
          operationId,
          type: 'decrypt',
          status: 'FINISH',
          'result.removed': { $exists: false },
          resultExpiresAt: { $gt: now },
        },
        {
          $set: { 'result.plaintext': null, 'result.removed': 'DELIVERED' },
          ...pushAuditItem(operationEntry('PlaintextRemoved', 'DELIVERED', now)),
        },
        { new: false },
      )
      .lean<CaOperation>()
      .exec();
    if (taken) this.events.emit({ type: 'PlaintextRemoved', at: now, operationId, reason: 'DELIVERED' });
    return taken;
  }

  /** Expires open operations nobody asked about and removes decrypted plaintexts nobody read in time. */
  async sweep(now: Date): Promise<{ expired: number; purged: number }> {
    const expired = await updateEach(
      this.operations,
      { status: 'PENDING', expiresAt: { $lte: now } },
      {
        $set: { status: 'EXPIRED', finishedAt: now, failure: { type: 'EXPIRED', reason: EXPIRED_REASON } },
        $unset: { plaintext: '' },
        ...pushAuditItem(operationEntry('OperationEnded', 'EXPIRED:EXPIRED', now)),
      },
      (operation) => this.ended(operation),
    );
    return { expired, purged: await this.purgePlaintexts(now) };
  }

  purgePlaintexts(now: Date, operationId?: string): Promise<number> {
    return updateEach(
      this.operations,
      {
        ...(operationId !== undefined && { operationId }),
        type: 'decrypt',
        status: 'FINISH',
        'result.removed': { $exists: false },
        resultExpiresAt: { $lte: now },
      },
      {
        $set: { 'result.plaintext': null, 'result.removed': 'EXPIRED' },
        ...pushAuditItem(operationEntry('PlaintextRemoved', 'EXPIRED', now)),
      },
      (operation) =>
        this.events.emit({ type: 'PlaintextRemoved', at: now, operationId: operation.operationId, reason: 'EXPIRED' }),
    );
  }

  /** The audit items its transitions wrote, for AuditOutboxDrain. */
  auditOutbox(): AuditOutboxSource {
    return collectionOutbox('caOperations', this.operations.collection, 'operationId', 'operationId');
  }

  private ended(operation: CaOperation): void {
    this.events.emit({
      type: 'OperationEnded',
      at: operation.finishedAt ?? new Date(),
      operationId: operation.operationId,
      operation: operation.type,
      status: operation.status as 'REJECTED' | 'EXPIRED' | 'FAILED',
      failure: operation.failure?.type ?? 'UNKNOWN',
    });
  }
}

export const EXPIRED_REASON = 'The QR code expired before the operation was completed on the phone';

/**
 * An operation's audit entry; the drain adds its operationId. Never its plaintext, ciphertext or seal: the outcome
 * and ids only.
 */
function operationEntry(
  type: string,
  outcome: string,
  occurredAt: Date,
  extra: Pick<AuditEntryInput, 'actor' | 'subject'> = {},
): AuditEntryInput {
  return { type, outcome, occurredAt, ...extra };
}
