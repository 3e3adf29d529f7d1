import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Model } from 'mongoose';
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
    let applied = (await model.updateOne(notNewer, { $set: fields })).matchedCount > 0;
    if (!applied) {
      try {
        const inserted = await model.updateOne(
          { docId: record.docId },
          { $setOnInsert: { docId: record.docId, ...fields } },
          { upsert: true },
        );
        applied = inserted.upsertedCount > 0;
      } catch (error) {
        // Another apply inserted the document first: update it as any existing one.
        if ((error as { code?: number }).code !== 11000) throw error;
        applied = (await model.updateOne(notNewer, { $set: fields })).matchedCount > 0;
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
