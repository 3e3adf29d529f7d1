import type { mongo } from 'mongoose';
import type { AuditOutboxItem, AuditOutboxSource } from './audit-outbox.drain';

/** The field a transition pushes its audit item into, in the same update as the transition. */
export const AUDIT_OUTBOX_FIELD = 'auditOutbox';

/** The update part that adds a transition's audit item: merge it into the transition's own atomic update. */
export function pushAuditItem(item: AuditOutboxItem): mongo.Document {
  return { $push: { [AUDIT_OUTBOX_FIELD]: item } };
}

/**
 * The drain side of a collection whose documents carry `auditOutbox` items; the store that owns the collection hands
 * its collection in and registers the result with AuditOutboxDrain. Declare a sparse index on
 * `auditOutbox.idempotencyKey` so `pending` does not scan the collection.
 */
export function collectionOutbox(name: string, collection: mongo.Collection): AuditOutboxSource {
  const pendingFilter = { [`${AUDIT_OUTBOX_FIELD}.idempotencyKey`]: { $exists: true } };
  return {
    name,
    pending: async (limit) => {
      const docs = await collection.find(pendingFilter, { limit, projection: { [AUDIT_OUTBOX_FIELD]: 1 } }).toArray();
      return docs.flatMap((doc) => doc[AUDIT_OUTBOX_FIELD] as AuditOutboxItem[]).slice(0, limit);
    },
    markAppended: async (item) => {
      const filter = { [`${AUDIT_OUTBOX_FIELD}.idempotencyKey`]: item.idempotencyKey };
      await collection.updateOne(filter, pullItem(item.idempotencyKey));
    },
  };
}

function pullItem(idempotencyKey: string): mongo.UpdateFilter<mongo.Document> {
  const update: mongo.Document = { $pull: { [AUDIT_OUTBOX_FIELD]: { idempotencyKey } } };
  return update as mongo.UpdateFilter<mongo.Document>;
}
