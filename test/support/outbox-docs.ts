import type mongoose from 'mongoose';
import type { AuditOutboxItem, AuditOutboxSource } from '../../src/evidence/audit';
import { collectionOutbox, pushAuditItem } from '../../src/evidence/audit/collection-outbox.store';

/**
 * A collection whose documents carry an outbox of audit items, as a store writes it with each transition; `beforeMark`
 * runs after an item's entry is appended and before the item is removed (where a crash is the worst).
 */
export function outboxDocsSource(
  conn: mongoose.Connection,
  beforeMark: (item: AuditOutboxItem) => Promise<void> = async () => undefined,
): AuditOutboxSource {
  const source = collectionOutbox('outboxDocs', conn.collection('outboxDocs'), 'recordId');
  return {
    ...source,
    markAppended: async (item) => {
      await beforeMark(item);
      await source.markAppended(item);
    },
  };
}

/** Documents that went through `itemsEach` transitions, each with its audit item written in the same update. */
export async function seedOutboxDocs(conn: mongoose.Connection, docs: number, itemsEach: number): Promise<string[]> {
  const collection = conn.collection('outboxDocs');
  const keys: string[] = [];
  for (let d = 0; d < docs; d++) {
    const { insertedId } = await collection.insertOne({ state: 0 });
    for (let i = 0; i < itemsEach; i++) {
      const entry = { type: 'RecordSigned', outcome: 'SIGNED', requestId: `req-${d}-${i}`, occurredAt: new Date() };
      await collection.updateOne({ _id: insertedId }, { $set: { state: i + 1 }, ...pushAuditItem(entry) });
    }
    const stored = await collection.findOne({ _id: insertedId });
    keys.push(...(stored!.auditOutbox as { key: string }[]).map((item) => `outboxDocs:${insertedId}:${item.key}`));
  }
  return keys;
}
