import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Model } from 'mongoose';
import { CaExtendedData } from './schemas/ca-extended-data.schema';
import { DOCUMENT_TYPES, DocumentType, NursingRecord, NursingRecordSchema } from './schemas/nursing-record.schema';

/** The nursing documents and risk assessments, one collection each, with the signature each currently carries. */
@Injectable()
export class NursingRecords {
  private readonly models: Record<DocumentType, Model<NursingRecord>>;

  constructor(@InjectConnection() connection: Connection) {
    this.models = {
      document: connection.model<NursingRecord>('NursingDocument', NursingRecordSchema, DOCUMENT_TYPES.document),
      riskAssessment: connection.model<NursingRecord>(
        'RiskAssessment',
        NursingRecordSchema,
        DOCUMENT_TYPES.riskAssessment,
      ),
    };
  }

  model(type: DocumentType): Model<NursingRecord> {
    return this.models[type];
  }

  find(type: DocumentType, docId: string) {
    return this.models[type].findOne({ docId }).lean();
  }

  /**
   * Stores the signed content with its signature. A signature older than the one the document already carries never
   * overwrites it, so late or recovered attempts cannot roll a document back.
   */
  async apply(record: CaExtendedData & { _id: unknown }): Promise<void> {
    const model = this.models[record.docType as DocumentType];
    const fields = {
      content: JSON.parse(record.signedContent) as Record<string, unknown>,
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
    if ((await model.updateOne(notNewer, { $set: fields })).matchedCount > 0) return;
    try {
      await model.updateOne(
        { docId: record.docId },
        { $setOnInsert: { docId: record.docId, ...fields } },
        { upsert: true },
      );
    } catch (error) {
      // Another apply inserted the document first: update it as any existing one.
      if ((error as { code?: number }).code !== 11000) throw error;
      await model.updateOne(notNewer, { $set: fields });
    }
  }
}
