import type mongoose from 'mongoose';
import type { AuditOutboxItem, AuditOutboxSource } from '../../src/evidence/audit';

/**
 * A collection whose documents carry an outbox of audit items, as a store writes it with each transition; `beforeMark`
 * runs after an item's entry is appended and before the item is removed (where a crash is the worst).
 */
export function outboxDocsSource(
  conn: mongoose.Connection,
  beforeMark: (item: AuditOutboxItem) => Promise<void> = async () => undefined,
): AuditOutboxSource {
  const docs = conn.collection('outboxDocs');
  return {
    name: 'outboxDocs',
    pending: async (limit) => {
      const found = await docs.find({ 'auditOutbox.0': { $exists: true } }, { limit }).toArray();
      return found.flatMap((doc) => doc.auditOutbox as AuditOutboxItem[]).slice(0, limit);
    },
    markAppended: async (item) => {
      await beforeMark(item);
      await docs.updateOne({ 'auditOutbox.idempotencyKey': item.idempotencyKey }, {
        $pull: { auditOutbox: { idempotencyKey: item.idempotencyKey } },
      } as never);
    },
  };
}

export async function seedOutboxDocs(conn: mongoose.Connection, docs: number, itemsEach: number): Promise<string[]> {
  const keys: string[] = [];
  for (let d = 0; d < docs; d++) {
    const items = Array.from({ length: itemsEach }, (_, i) => {
      const idempotencyKey = `outboxDocs:doc${d}:t${i}`;
      keys.push(idempotencyKey);
      return {
        idempotencyKey,
        entry: {
          type: 'RecordSigned',
          outcome: 'SIGNED',
          subject: { recordId: `doc${d}` },
          requestId: `req-${d}-${i}`,
        },
      };
    });
    await conn.collection('outboxDocs').insertOne({ state: 'SIGNED', auditOutbox: items });
  }
  return keys;
}
