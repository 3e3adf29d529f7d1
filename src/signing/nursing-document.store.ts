import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Model } from 'mongoose';
import type { AuditOutboxSource } from '../evidence/audit/audit-outbox.drain';
import { auditItem, collectionOutbox, pushAuditItem } from '../evidence/audit/collection-outbox.store';
import { EventBus } from '../events';
import { StoredRecord } from './schemas/ca-extended-data.schema';
import { documentContentJson } from './signed-bytes';
import { DOCUMENT_TYPES, DocumentType, NursingRecord, NursingRecordSchema } from './schemas/nursing-record.schema';

/** nursingDocuments and riskAssessments, one collection each, with the signature each currently carries. */
@Injectable()
export class NursingDocumentStore {
  private readonly models: Record<DocumentType, Model<NursingRecord>>;

  constructor(
    @InjectConnection() connection: Connection,
    private readonly events: EventBus,
  ) {
    this.models = {
      document: connection.model<NursingRecord>('NursingDocument', NursingRecordSchema, DOCUMENT_TYPES.document),
      riskAssessment: connection.model<NursingRecord>(
        'RiskAssessment',
        NursingRecordSchema,
        DOCUMENT_TYPES.riskAssessment,
      ),
    };
  }

  find(type: DocumentType, docId: string) {
    return this.models[type].findOne({ docId }).lean<NursingRecord>().exec();
  }

  /** The audit items its transitions wrote (one source per collection), for AuditOutboxDrain. */
  auditOutboxes(): AuditOutboxSource[] {
    return Object.entries(this.models).map(([, model]) => collectionOutbox(model.collection.name, model.collection));
  }

  /**
   * Stores the signed content with its signature. A signature older than the one the document already carries never
   * overwrites it, so late or recovered attempts cannot roll a document back. True when the document changed.
   */
  async apply(record: StoredRecord): Promise<boolean> {
    const model = this.models[record.docType as DocumentType];
    const fields = {
      contentJson: documentContentJson(record),
      contentDigestSm3: record.contentDigestSm3,
      signature: {
        status: 'SIGNED' as const,
        recordId: record._id,
        signedAt: record.signedAt!,
        userCode: record.userCode,
        certSubject: record.certSubject,
        contentDigestSm3: record.contentDigestSm3,
      },
    };
    const notNewer = {
      docId: record.docId,
      $or: [{ signature: null }, { 'signature.signedAt': { $lte: record.signedAt } }],
    };
    const entry = {
      type: 'DocumentApplied',
      outcome: 'APPLIED',
      subject: {
        docId: record.docId,
        docType: record.docType,
        recordId: String(record._id),
        userCode: record.userCode,
      },
      occurredAt: new Date(),
    };
    const audit = pushAuditItem(entry);
    let applied = (await model.updateOne(notNewer, { $set: fields, ...audit })).matchedCount > 0;
    if (!applied) {
      try {
        const inserted = await model.updateOne(
          { docId: record.docId },
          // Only an insert may carry the item: an existing (newer) document is left exactly as it is.
          { $setOnInsert: { docId: record.docId, ...fields, auditOutbox: [auditItem(entry)] } },
          { upsert: true },
        );
        applied = inserted.upsertedCount > 0;
      } catch (error) {
        // Another apply inserted the document first: update it as any existing one.
        if ((error as { code?: number }).code !== 11000) throw error;
        applied = (await model.updateOne(notNewer, { $set: fields, ...audit })).matchedCount > 0;
      }
    }
    if (applied) {
      this.events.emit({
        type: 'DocumentApplied',
        at: new Date(),
        docType: record.docType,
        docId: record.docId,
        recordId: String(record._id),
        contentDigestSm3: record.contentDigestSm3,
      });
    }
    return applied;
  }
}
