import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, UpdateQuery } from 'mongoose';
import { takePollLease } from '../common/db/poll-lease';
import { CaOperation, OperationFailure } from './schemas/ca-operation.schema';

export type NewOperation = Omit<CaOperation, 'status' | 'createdAt' | 'updatedAt'>;

/**
 * Every state change of an operation is one conditional findOneAndUpdate: a PENDING operation (in its current seal
 * round) moves on once, and whoever loses a race reads the winner's state instead of writing over it.
 */
@Injectable()
export class OperationStore {
  constructor(@InjectModel(CaOperation.name) private readonly operations: Model<CaOperation>) {}

  async create(operation: NewOperation): Promise<void> {
    await this.operations.create({ ...operation, status: 'PENDING' });
  }

  find(operationId: string): Promise<CaOperation | null> {
    return this.operations.findOne({ operationId }).lean<CaOperation>().exec();
  }

  async exists(operationId: string): Promise<boolean> {
    return (await this.operations.exists({ operationId })) !== null;
  }

  /** The lease: only the caller that moves nextPollAt asks the vendor; null for everyone else until it runs out. */
  lease(current: CaOperation, intervalMs: number): Promise<CaOperation | null> {
    return takePollLease(this.operations, { operationId: current.operationId, status: 'PENDING' }, intervalMs, current);
  }

  /** Applies `update` to a still PENDING operation in the same round as `current`; `moved` is false when another won. */
  async move(
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
    return (await this.move(current, { $set: set, $unset: { plaintext: '' } })).operation;
  }

  async end(
    current: CaOperation,
    status: 'REJECTED' | 'EXPIRED' | 'FAILED',
    failure: OperationFailure,
  ): Promise<CaOperation> {
    return (await this.move(current, { $set: { status, failure, finishedAt: new Date() }, $unset: { plaintext: '' } }))
      .operation;
  }

  /** Revokes a finished seal for its own sealer; an unseal that already revoked it may do so again (crash recovery). */
  revoke(sealOperationId: string, sealerSm3: string, unsealOperationId: string, at: Date): Promise<CaOperation | null> {
    return this.operations
      .findOneAndUpdate(
        {
          operationId: sealOperationId,
          type: 'seal',
          status: 'FINISH',
          sealerSm3,
          revokedBy: { $in: [null, unsealOperationId] },
        },
        { $set: { revokedAt: at, revokedBy: unsealOperationId } },
        { new: true },
      )
      .lean<CaOperation>()
      .exec();
  }

  /** Removes a decrypted plaintext and answers the operation as it was before, so exactly one reader gets it. */
  takePlaintext(operationId: string, now: Date): Promise<CaOperation | null> {
    return this.operations
      .findOneAndUpdate(
        {
          operationId,
          type: 'decrypt',
          status: 'FINISH',
          'result.removed': { $exists: false },
          resultExpiresAt: { $gt: now },
        },
        { $set: { 'result.plaintext': null, 'result.removed': 'DELIVERED' } },
        { new: false },
      )
      .lean<CaOperation>()
      .exec();
  }

  /** Expires open operations nobody asked about and removes decrypted plaintexts nobody read in time. */
  async sweep(now: Date): Promise<{ expired: number; purged: number }> {
    const expired = await this.operations.updateMany(
      { status: 'PENDING', expiresAt: { $lte: now } },
      {
        $set: { status: 'EXPIRED', finishedAt: now, failure: { type: 'EXPIRED', reason: EXPIRED_REASON } },
        $unset: { plaintext: '' },
      },
    );
    return { expired: expired.modifiedCount, purged: await this.purgePlaintexts(now) };
  }

  async purgePlaintexts(now: Date, operationId?: string): Promise<number> {
    const purged = await this.operations.updateMany(
      {
        ...(operationId !== undefined && { operationId }),
        type: 'decrypt',
        status: 'FINISH',
        'result.removed': { $exists: false },
        resultExpiresAt: { $lte: now },
      },
      { $set: { 'result.plaintext': null, 'result.removed': 'EXPIRED' } },
    );
    return purged.modifiedCount;
  }
}

export const EXPIRED_REASON = 'The QR code expired before the operation was completed on the phone';
