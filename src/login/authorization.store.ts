import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { takePollLease } from '../common/db/poll-lease';
import { updateEach } from '../common/db/update-each';
import { AuditEntryInput, shortHandleHash } from '../evidence/audit/audit-entry';
import type { AuditOutboxSource } from '../evidence/audit/audit-outbox.drain';
import {
  auditItem,
  collectionOutbox,
  NO_PENDING_AUDIT,
  pushAuditItem,
} from '../evidence/audit/collection-outbox.store';
import { EventBus } from '../events';
import type { RevocationRef } from '../evidence/crl/revocation-ref.schema';
import { CaAuthorization, StoredCertificate } from './schemas/ca-authorization.schema';

export type NewLogin = Pick<
  CaAuthorization,
  | 'signDataId'
  | 'handleHash'
  | 'tokenHash'
  | 'provider'
  | 'qrCode'
  | 'challenge'
  | 'userCode'
  | 'timeRegion'
  | 'validitySeconds'
  | 'qrExpiresAt'
  | 'clientAddress'
>;

export interface FinishedLogin {
  msspId: string;
  identity: string;
  signResult?: string;
  certificate: StoredCertificate;
  finishedAt: Date;
  authorizedUntil: Date;
  revocation?: RevocationRef;
}

/**
 * caAuthorizations: a QR login (UNSIGN) settles once into FINISH, REJECTED or EXPIRED; a finished one is an
 * authorization that is bound to one nurse once and ended once. Whoever loses a race reads the winner's state.
 */
@Injectable()
export class AuthorizationStore {
  constructor(
    @InjectModel(CaAuthorization.name) private readonly authorizations: Model<CaAuthorization>,
    private readonly events: EventBus,
  ) {}

  /** QR logins still waiting for the nurse (no sweep expires them, so the QR code's deadline is part of the filter). */
  countPending(now: Date): Promise<number> {
    return this.authorizations.countDocuments({ status: 'UNSIGN', qrExpiresAt: { $gt: now } }).exec();
  }

  async start(login: NewLogin): Promise<void> {
    const at = new Date();
    const auditOutbox = [auditItem(loginEntry(login, 'LoginStarted', 'UNSIGN', at))];
    await this.authorizations.create({ ...login, nextPollAt: new Date(0), auditOutbox });
    this.events.emit({
      type: 'LoginStarted',
      at,
      signDataId: login.signDataId,
      handleRef: login.handleHash.slice(0, 8),
      provider: login.provider,
      userCode: login.userCode,
      qrExpiresAt: login.qrExpiresAt,
    });
  }

  find(signDataId: string): Promise<CaAuthorization | null> {
    return this.authorizations.findOne({ signDataId }).lean<CaAuthorization>().exec();
  }

  /** The login whose handle hashes to this (see per-login-secret). */
  findByHandle(handleHash: string): Promise<CaAuthorization | null> {
    return this.authorizations.findOne({ handleHash }).lean<CaAuthorization>().exec();
  }

  /** The finished login whose msspId token hashes to this, ended or not. */
  findByToken(tokenHash: string): Promise<CaAuthorization | null> {
    return this.authorizations.findOne({ tokenHash, status: 'FINISH' }).lean<CaAuthorization>().exec();
  }

  /** The latest finished login of this vendor user, ended or not. */
  latestFinished(msspId: string): Promise<CaAuthorization | null> {
    return this.authorizations
      .findOne({ msspId, status: 'FINISH' })
      .sort({ finishedAt: -1 })
      .lean<CaAuthorization>()
      .exec();
  }

  /** The providers of the user's open authorizations. */
  async openProviders(msspId: string): Promise<string[]> {
    const open = await this.authorizations
      .find({ msspId, status: 'FINISH', endedAt: null }, { provider: 1 })
      .lean<Pick<CaAuthorization, 'provider'>[]>()
      .exec();
    return open.map((a) => a.provider);
  }

  /** When the logins from `address` still waiting for a scan run out, soonest first; at most `limit` of them. */
  async pendingExpiries(address: string, now: Date, limit: number): Promise<Date[]> {
    const pending = await this.authorizations
      .find({ clientAddress: address, status: 'UNSIGN', qrExpiresAt: { $gt: now } }, { qrExpiresAt: 1 })
      .sort({ qrExpiresAt: 1 })
      .limit(limit)
      .lean<Pick<CaAuthorization, 'qrExpiresAt'>[]>()
      .exec();
    return pending.map((login) => login.qrExpiresAt);
  }

  /**
   * Removes the logins that never finished (pending, expired, rejected) started before `before`; one whose audit items
   * are not in the chain yet (a drain failing all along) stays until they are.
   */
  async purgeUnfinished(before: Date): Promise<number> {
    const { deletedCount } = await this.authorizations.deleteMany({
      status: { $in: ['UNSIGN', 'REJECTED', 'EXPIRED'] },
      createdAt: { $lt: before },
      ...NO_PENDING_AUDIT,
    });
    if (deletedCount > 0) this.events.emit({ type: 'LoginsPurged', at: new Date(), count: deletedCount, before });
    return deletedCount;
  }

  /** The right to poll the vendor about a pending login now (see takePollLease). */
  lease(login: CaAuthorization, intervalMs: number): Promise<CaAuthorization | null> {
    const filter = { signDataId: login.signDataId, status: 'UNSIGN' };
    return takePollLease(this.authorizations, filter, intervalMs, login);
  }

  /** UNSIGN → FINISH: the nurse approved the login with a verified certificate. */
  finish(login: CaAuthorization, finished: FinishedLogin): Promise<CaAuthorization> {
    const entry = loginEntry(login, 'LoginFinished', 'FINISH', finished.finishedAt);
    return this.settle(login, { status: 'FINISH', ...finished }, entry, () => ({
      type: 'LoginFinished',
      at: finished.finishedAt,
      signDataId: login.signDataId,
      provider: login.provider,
      certSerial: finished.certificate.serialNumber,
      authorizedUntil: finished.authorizedUntil,
    }));
  }

  /** UNSIGN → REJECTED: the nurse declined on her phone, or the gateway refused her certificate (`reason`). */
  reject(login: CaAuthorization, reason?: string): Promise<CaAuthorization> {
    return this.close(login, 'REJECTED', 'LoginRejected', reason ? { rejectReason: reason } : {});
  }

  /** UNSIGN → EXPIRED: the QR code ran out (here, watched at the vendor until `lateWatchUntil`, or at the vendor). */
  expire(login: CaAuthorization, lateWatchUntil?: Date): Promise<CaAuthorization> {
    return this.close(login, 'EXPIRED', 'LoginExpired', lateWatchUntil && { lateWatchUntil });
  }

  /** Logins the gateway expired whose vendor job may still be approved, due for a poll now. */
  lateWatched(now: Date): Promise<CaAuthorization[]> {
    return this.authorizations
      .find({
        status: 'EXPIRED',
        lateWatchUntil: { $gt: now },
        $or: [{ nextPollAt: null }, { nextPollAt: { $lte: now } }],
      })
      .limit(100)
      .lean<CaAuthorization[]>()
      .exec();
  }

  /** The right to ask the vendor about an expired login now. */
  leaseLate(login: CaAuthorization, intervalMs: number): Promise<CaAuthorization | null> {
    const filter = { signDataId: login.signDataId, status: 'EXPIRED', lateWatchUntil: { $ne: null } };
    return takePollLease(this.authorizations, filter, intervalMs, login);
  }

  /** The vendor's job is over; `endedLateFinish` when its approval came too late and was ended at the vendor. */
  async stopLateWatch(login: CaAuthorization, endedLateFinish?: Date): Promise<void> {
    await this.authorizations.updateOne(
      { signDataId: login.signDataId, status: 'EXPIRED' },
      {
        $unset: { lateWatchUntil: 1 },
        ...(endedLateFinish && {
          $set: { lateFinishEndedAt: endedLateFinish },
          ...pushAuditItem(loginEntry(login, 'LateLoginEnded', 'ENDED_AT_VENDOR', endedLateFinish)),
        }),
      },
    );
  }

  /** The first use binds an authorization to the nurse at the PC; null when another code bound it first. */
  async bind(signDataId: string, userCode: string): Promise<CaAuthorization | null> {
    const entry: AuditEntryInput = {
      type: 'AuthorizationBound',
      outcome: 'BOUND',
      subject: { signDataId, userCode },
      occurredAt: new Date(),
    };
    const bound = await this.authorizations
      .findOneAndUpdate(
        { signDataId, userCode: { $in: [null, ''] } },
        { $set: { userCode }, ...pushAuditItem(entry) },
        { new: true },
      )
      .lean<CaAuthorization>()
      .exec();
    if (bound) this.events.emit({ type: 'AuthorizationBound', at: new Date(), signDataId, userCode });
    return bound;
  }

  /** Ends every open authorization of the user (logout); answers how many this call ended. */
  end(msspId: string, at = new Date()): Promise<number> {
    return updateEach(
      this.authorizations,
      { msspId, status: 'FINISH', endedAt: null },
      // The same item for every authorization this ends; the drain adds each one's signDataId.
      { $set: { endedAt: at }, ...pushAuditItem({ type: 'AuthorizationEnded', outcome: 'ENDED', occurredAt: at }) },
      (ended) =>
        this.events.emit({ type: 'AuthorizationEnded', at, signDataId: ended.signDataId, provider: ended.provider }),
    );
  }

  private close(
    login: CaAuthorization,
    status: 'REJECTED' | 'EXPIRED',
    type: 'LoginRejected' | 'LoginExpired',
    extra: Partial<CaAuthorization> = {},
  ): Promise<CaAuthorization> {
    const { signDataId, provider } = login;
    const at = new Date();
    const entry = loginEntry(login, type, status, at);
    return this.settle(login, { status, ...extra }, entry, () => ({ type, at, signDataId, provider }));
  }

  /** The audit items its transitions wrote, for AuditOutboxDrain. */
  auditOutbox(): AuditOutboxSource {
    return collectionOutbox('caAuthorizations', this.authorizations.collection, 'signDataId', 'signDataId');
  }

  private async settle(
    login: CaAuthorization,
    set: Partial<CaAuthorization>,
    entry: AuditEntryInput,
    event: () => Parameters<EventBus['emit']>[0],
  ): Promise<CaAuthorization> {
    const settled = await this.authorizations
      .findOneAndUpdate(
        { signDataId: login.signDataId, status: 'UNSIGN' },
        { $set: set, ...pushAuditItem(entry) },
        { new: true },
      )
      .lean<CaAuthorization>()
      .exec();
    if (settled) {
      this.events.emit(event());
      return settled;
    }
    return (await this.find(login.signDataId)) ?? login;
  }
}

/** A login's audit entry: the vendor job, the nurse and vendor, and the PC's handle only as a short hash of its hash. */
function loginEntry(
  login: Pick<CaAuthorization, 'signDataId' | 'handleHash' | 'userCode' | 'provider'>,
  type: string,
  outcome: string,
  occurredAt: Date,
): AuditEntryInput {
  return {
    type,
    outcome,
    ...(login.handleHash && { actor: { handleHash: shortHandleHash(login.handleHash) } }),
    subject: { signDataId: login.signDataId, userCode: login.userCode || undefined, vendor: login.provider },
    occurredAt,
  };
}
