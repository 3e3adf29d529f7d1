import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { InjectModel } from '@nestjs/mongoose';
import { Connection, Model } from 'mongoose';
import { retryEngineRace } from '../../database/engine-race';
import { EventBus } from '../../events';
import { ANCHOR_ENTRY_TYPE, AuditEntry, AuditEntryInput, sealEntry } from './audit-entry';
import { AuditLogEntry, AuditLogEntrySchema } from './audit-log.schema';
import { auditConfig } from './audit.config';

const MAX_APPEND_ATTEMPTS = 100;

/**
 * The only code that touches caAuditLog, and it only appends and reads: there is no update or delete. Appends are
 * serialised in this process; across processes the unique index on seq lets one writer win each seq, and the loser
 * reads the new head and tries the next one, so the sequence has no gaps.
 */
@Injectable()
export class AuditLogStore implements OnModuleInit {
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * The head this process last appended. Trying the seq after it without reading first is safe: if another gateway
   * took that seq meanwhile, the unique index refuses the insert and the head is read again.
   */
  private knownHead?: { seq: number; hash: string } | null;

  constructor(
    @InjectModel(AuditLogEntry.name) private readonly model: Model<AuditLogEntry>,
    @Inject(auditConfig.KEY) private readonly config: ConfigType<typeof auditConfig>,
    @Optional() private readonly events?: EventBus,
  ) {}

  /** A store on a plain connection, for tools that run outside the application (audit:verify). */
  static onConnection(conn: Connection, config: ConfigType<typeof auditConfig>): AuditLogStore {
    return new AuditLogStore(conn.model(AuditLogEntry.name, AuditLogEntrySchema), config);
  }

  /** The unique index must exist before the first append, or two writers could share a seq. */
  async onModuleInit(): Promise<void> {
    await retryEngineRace(() => this.model.createIndexes());
  }

  append(input: AuditEntryInput): Promise<AuditEntry> {
    return this.serialised(() => this.appendNow(input) as Promise<AuditEntry>);
  }

  /** Appends only directly after the entry `headSeq` (an anchor must follow the head it stamps); null when it moved on. */
  appendAfter(headSeq: number, input: AuditEntryInput): Promise<AuditEntry | null> {
    return this.serialised(() => this.appendNow(input, headSeq));
  }

  async head(): Promise<AuditEntry | null> {
    return this.model.collection.findOne<AuditEntry>({}, { sort: { seq: -1 }, projection: { _id: 0 } });
  }

  async lastAnchor(): Promise<AuditEntry | null> {
    return this.lastOfType(ANCHOR_ENTRY_TYPE);
  }

  async lastOfType(type: string): Promise<AuditEntry | null> {
    return this.model.collection.findOne<AuditEntry>({ type }, { sort: { seq: -1 }, projection: { _id: 0 } });
  }

  async bySeq(seq: number): Promise<AuditEntry | null> {
    return this.model.collection.findOne<AuditEntry>({ seq }, { projection: { _id: 0 } });
  }

  /** Entries with fromSeq <= seq <= toSeq, in seq order, exactly as stored (the storage id left out). */
  range(fromSeq = 1, toSeq?: number): AsyncIterable<Record<string, unknown>> {
    const seq = toSeq === undefined ? { $gte: fromSeq } : { $gte: fromSeq, $lte: toSeq };
    return this.model.collection.find({ seq }, { sort: { seq: 1, _id: 1 }, projection: { _id: 0 } });
  }

  /** The entries about one signature record, in seq order, exactly as stored (the evidence bundle's audit.jsonl). */
  forRecord(recordId: string): Promise<AuditEntry[]> {
    return this.model.collection
      .find<AuditEntry>({ 'subject.recordId': recordId }, { sort: { seq: 1 }, projection: { _id: 0 } })
      .toArray();
  }

  /** The first anchor after `seq`: it stamps a head at or after `seq`, so it covers that entry and all before it. */
  firstAnchorAfter(seq: number): Promise<AuditEntry | null> {
    return this.model.collection.findOne<AuditEntry>(
      { type: ANCHOR_ENTRY_TYPE, seq: { $gt: seq } },
      { sort: { seq: 1 }, projection: { _id: 0 } },
    );
  }

  async countSince(seq: number): Promise<number> {
    return this.model.collection.countDocuments({ seq: { $gt: seq } });
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async appendNow(input: AuditEntryInput, expectedHeadSeq?: number): Promise<AuditEntry | null> {
    for (let attempt = 1; ; attempt++) {
      if (input.idempotencyKey) {
        const existing = await this.model.collection.findOne<AuditEntry>(
          { idempotencyKey: input.idempotencyKey },
          { projection: { _id: 0 } },
        );
        if (existing) return existing;
      }
      const head =
        this.knownHead !== undefined && expectedHeadSeq === undefined ? this.knownHead : await this.readHead();
      if (expectedHeadSeq !== undefined && (head?.seq ?? 0) !== expectedHeadSeq) return null;
      const entry = sealEntry(input, head, this.config.current, new Date());
      try {
        // The driver adds _id to what it inserts; give it a copy so the returned entry is exactly what was hashed.
        await this.model.collection.insertOne({ ...entry });
        this.knownHead = { seq: entry.seq, hash: entry.hash };
        this.events?.emit({ type: 'AuditEntryAppended', at: entry.at, seq: entry.seq, entryType: entry.type });
        return entry;
      } catch (error) {
        this.knownHead = undefined;
        if ((error as { code?: number }).code !== 11000 || attempt >= MAX_APPEND_ATTEMPTS) throw error;
        await sleep(Math.random() * Math.min(attempt, 10) * 2);
      }
    }
  }

  private readHead(): Promise<{ seq: number; hash: string } | null> {
    return this.model.collection.findOne<{ seq: number; hash: string }>(
      {},
      { sort: { seq: -1 }, projection: { _id: 0, seq: 1, hash: 1 } },
    );
  }
}
