import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { AuditEntryInput } from './audit-entry';
import { AuditLogStore } from './audit-log.store';

/** One audit entry a transition wrote into its own document, in the same atomic update as the transition. */
export interface AuditOutboxItem {
  /** Unique per transition (for example `caExtendedData:<id>:SIGNED:<attemptId>`): appended at most once. */
  idempotencyKey: string;
  entry: AuditEntryInput;
}

/** A collection whose documents carry pending outbox items; implemented by the store that owns it. */
export interface AuditOutboxSource {
  readonly name: string;
  /** Up to `limit` items not yet marked appended, oldest first. */
  pending(limit: number): Promise<AuditOutboxItem[]>;
  /** Removes the item from its document's outbox; called only after its entry is in the chain. */
  markAppended(item: AuditOutboxItem): Promise<void>;
}

const BATCH = 100;
const DRAIN_INTERVAL_MS = 1000;

/**
 * Moves outbox items into the audit chain: append (idempotent by key), then mark. A crash between the two leaves the
 * item pending; the next drain appends it again, which finds the entry already there and only marks it. Recovery is
 * the drain at start-up.
 */
@Injectable()
export class AuditOutboxDrain implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditOutboxDrain.name);
  private readonly sources: AuditOutboxSource[] = [];
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(private readonly store: AuditLogStore) {}

  register(source: AuditOutboxSource): void {
    this.sources.push(source);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.drainAll();
    this.timer = setInterval(() => {
      this.running ??= this.drainAll().finally(() => (this.running = undefined));
    }, DRAIN_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Drains every source; one failing source is logged and never stops the others. */
  async drainAll(): Promise<number> {
    let appended = 0;
    for (const source of this.sources) {
      appended += await this.drain(source).catch((error: Error) => {
        this.logger.error(`Audit outbox ${source.name} not drained this round: ${error.message}`);
        return 0;
      });
    }
    return appended;
  }

  /** Appends and marks every pending item of one source; returns how many were marked. */
  async drain(source: AuditOutboxSource): Promise<number> {
    let marked = 0;
    for (;;) {
      const items = await source.pending(BATCH);
      for (const item of items) {
        await this.store.append({ ...item.entry, idempotencyKey: item.idempotencyKey });
        await source.markAppended(item);
        marked++;
      }
      if (items.length < BATCH) return marked;
    }
  }
}
