import { randomUUID } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { AuditEntryInput, AuditSubject } from './audit-entry';
import type { AuditOutboxItem, AuditOutboxSource } from './audit-outbox.drain';

/** The field a transition pushes its audit item into, in the same update as the transition. */
export const AUDIT_OUTBOX_FIELD = 'auditOutbox';

/**
 * The filter part for documents whose outbox is empty or absent. `'auditOutbox.key': {$exists: false}` says the same on
 * MongoDB, but mongo-java-server does not match an emptied array with it.
 */
export const NO_PENDING_AUDIT = {
  $or: [{ [AUDIT_OUTBOX_FIELD]: { $exists: false } }, { [AUDIT_OUTBOX_FIELD]: { $size: 0 } }],
};

/** An outbox item as a document keeps it: `key` is unique per transition within the document. */
export interface StoredAuditItem {
  key: string;
  entry: AuditEntryInput;
}

/**
 * The update part that adds a transition's audit item: merge it into the transition's own atomic update. A sweep may
 * apply one such update to many documents; the drain tells them apart by the document id.
 */
export function pushAuditItem(entry: AuditEntryInput): mongo.Document {
  return { $push: { [AUDIT_OUTBOX_FIELD]: auditItem(entry) } };
}

/** One outbox item, for a document inserted together with its first transition. */
export function auditItem(entry: AuditEntryInput): StoredAuditItem {
  return { key: randomUUID(), entry };
}

/**
 * The drain side of a collection whose documents carry `auditOutbox` items, for the store that owns it. Each item's
 * idempotency key is `<name>:<document id>:<key>`; `subjectField` names the subject field that the document's
 * `sourceField` (its id by default) fills when the item did not set it (e.g. `recordId`). Declare a sparse index on
 * `auditOutbox.key`.
 */
export function collectionOutbox(
  name: string,
  collection: mongo.Collection,
  subjectField?: keyof AuditSubject,
  sourceField = '_id',
): AuditOutboxSource {
  const keyOf = (docId: unknown, key: string) => `${name}:${String(docId)}:${key}`;
  const located = new Map<string, { docId: unknown; stored: StoredAuditItem }>();
  return {
    name,
    pending: async (limit) => {
      const docs = await collection
        .find(
          { [`${AUDIT_OUTBOX_FIELD}.key`]: { $exists: true } },
          { limit, projection: { [AUDIT_OUTBOX_FIELD]: 1, [sourceField]: 1 } },
        )
        .toArray();
      const items: AuditOutboxItem[] = [];
      for (const doc of docs) {
        for (const stored of doc[AUDIT_OUTBOX_FIELD] as StoredAuditItem[]) {
          const idempotencyKey = keyOf(doc._id, stored.key);
          located.set(idempotencyKey, { docId: doc._id, stored });
          const subject = subjectField
            ? { [subjectField]: String(doc[sourceField]), ...stored.entry.subject }
            : stored.entry.subject;
          items.push({ idempotencyKey, entry: { ...stored.entry, ...(subject && { subject }) } });
        }
      }
      return items.slice(0, limit);
    },
    markAppended: async (item) => {
      const where = located.get(item.idempotencyKey);
      if (!where) throw new Error(`Outbox item ${item.idempotencyKey} was not read from ${name}`);
      await collection.updateOne({ _id: where.docId } as mongo.Document, pullItem(where.stored));
      located.delete(item.idempotencyKey);
    },
  };
}

/** Pulls the item by its whole value as read: FerretDB v1 ignores a `$pull` by a condition on one field of it. */
function pullItem(stored: StoredAuditItem): mongo.UpdateFilter<mongo.Document> {
  const update: mongo.Document = { $pull: { [AUDIT_OUTBOX_FIELD]: stored } };
  return update as mongo.UpdateFilter<mongo.Document>;
}
