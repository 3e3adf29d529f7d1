import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import type { AuditOutboxSource } from '../audit-outbox.drain';
import { collectionOutbox, NO_PENDING_AUDIT, pushAuditItem } from '../collection-outbox.store';
import { RefusalWindow } from './refusal-window.schema';

export const MINUTE_MS = 60_000;
/** A window is moved into the chain this long after its minute ends, so late counts of other gateways are in it. */
export const CLOSE_GRACE_MS = 5_000;
const MOVE_ATTEMPTS = 5;
/** Emptied windows are kept this long (a late count then finds its window), then removed. */
const KEEP_EMPTY_MS = 10 * MINUTE_MS;

export interface RefusalKey {
  minute: Date;
  address: string;
  route: string;
  status: number;
}

export function windowId(key: RefusalKey): string {
  return `${key.minute.toISOString()}|${key.status}|${key.address}|${key.route}`;
}

/**
 * Owns caAuditRefusals. Counts are added with $inc (an upsert: any number of gateways add to the same window), and a
 * window is moved into the chain by one conditional update that takes exactly the count it read and pushes one audit
 * item with it: two gateways closing the same window at once cannot both take the same refusals, and a crash after
 * the take leaves the item in the window's outbox for the drain.
 */
@Injectable()
export class RefusalWindowStore {
  constructor(@InjectModel(RefusalWindow.name) private readonly model: Model<RefusalWindow>) {}

  private get windows(): mongo.Collection<mongo.Document> {
    return this.model.collection;
  }

  async add(key: RefusalKey, count: number): Promise<void> {
    const update = { $inc: { count }, $setOnInsert: { ...key } };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.windows.updateOne({ key: windowId(key) }, update, { upsert: true });
        return;
      } catch (error) {
        // Two first counts of one window raced to insert it; the loser's retry finds it and increments.
        if ((error as { code?: number }).code !== 11000 || attempt >= 3) throw error;
      }
    }
  }

  /** Moves every window whose minute closed before `now` (every window, with `all`) into an audit item; answers how many. */
  async closeDue(now: Date, all = false): Promise<number> {
    const due = all ? {} : { minute: { $lte: new Date(now.getTime() - MINUTE_MS - CLOSE_GRACE_MS) } };
    const open = await this.windows.find({ ...due, count: { $gt: 0 } }, { projection: { auditOutbox: 0 } }).toArray();
    let moved = 0;
    for (const window of open) if (await this.move(window)) moved++;
    await this.windows.deleteMany({
      minute: { $lt: new Date(now.getTime() - KEEP_EMPTY_MS) },
      count: 0,
      ...NO_PENDING_AUDIT,
    });
    return moved;
  }

  /** The audit items the windows carry, for AuditOutboxDrain. */
  auditOutbox(): AuditOutboxSource {
    return collectionOutbox('caAuditRefusals', this.windows);
  }

  private async move(window: mongo.Document): Promise<boolean> {
    let current: mongo.Document | null = window;
    for (let attempt = 0; current && current.count > 0 && attempt < MOVE_ATTEMPTS; attempt++) {
      const count = current.count as number;
      const entry = {
        type: 'RequestsRefused',
        outcome: `HTTP_${current.status}`,
        actor: { address: current.address },
        subject: { route: current.route },
        count,
        occurredAt: current.minute,
      };
      const taken = await this.windows.updateOne({ _id: current._id, count }, {
        $inc: { count: -count },
        ...pushAuditItem(entry),
      } as mongo.Document);
      if (taken.matchedCount === 1) return true;
      // Another gateway counted or took meanwhile: read the window again.
      current = await this.windows.findOne({ _id: current._id }, { projection: { auditOutbox: 0 } });
    }
    return false;
  }
}
