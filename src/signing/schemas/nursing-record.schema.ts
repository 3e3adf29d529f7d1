import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';
import type { StoredAuditItem } from '../../evidence/audit/collection-outbox.store';

export const DOCUMENT_TYPES = { document: 'nursingDocuments', riskAssessment: 'riskAssessments' } as const;
export type DocumentType = keyof typeof DOCUMENT_TYPES;
export const DOCUMENT_TYPE_NAMES = Object.keys(DOCUMENT_TYPES) as DocumentType[];

@Schema({ _id: false })
export class DocumentSignature {
  @Prop({ required: true }) status: 'SIGNED';
  @Prop({ required: true, type: Types.ObjectId }) recordId: Types.ObjectId;
  @Prop({ required: true }) signedAt: Date;
  @Prop({ required: true }) userCode: string;
  @Prop() certSubject?: string;
  @Prop({ required: true }) contentDigestSm3: string;
}
const DocumentSignatureSchema = SchemaFactory.createForClass(DocumentSignature);

/** A nursing document or risk assessment as MNIS last saved it; the same shape in both collections. */
@Schema({ timestamps: true, minimize: false })
export class NursingRecord {
  @Prop({ required: true, unique: true }) docId: string;
  /**
   * The signed content as its canonical JSON text, so that any key (`$gt`, `a.b`) round-trips exactly and can never
   * stop a write; `contentOf` reads it back.
   */
  @Prop({ required: true }) contentJson: string;
  @Prop({ required: true }) contentDigestSm3: string;
  @Prop({ type: DocumentSignatureSchema }) signature?: DocumentSignature;
  /** Audit items of committed transitions not yet in the audit chain (written in the transition's own update). */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: undefined }) auditOutbox?: StoredAuditItem[];
  createdAt?: Date;
  updatedAt?: Date;
}

export const NursingRecordSchema = SchemaFactory.createForClass(NursingRecord);
NursingRecordSchema.index({ 'auditOutbox.key': 1 }, { sparse: true });

/** The document's content as MNIS sent it. */
export function contentOf(record: Pick<NursingRecord, 'contentJson'>): Record<string, unknown> {
  return JSON.parse(record.contentJson) as Record<string, unknown>;
}
