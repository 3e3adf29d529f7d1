import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { AuditActor, AuditAnchor, AuditApiKey, AuditSubject } from './audit-entry';

/**
 * One entry of the tamper-evident audit chain (caAuditLog). Written only by AuditLogStore.append; the hash covers
 * every stored field but `_id`, `hash` and `mac`, so the schema only documents the shape and builds the indexes.
 */
@Schema({ collection: 'caAuditLog', versionKey: false })
export class AuditLogEntry {
  @Prop({ required: true }) seq: number;
  @Prop({ required: true }) at: Date;
  @Prop({ required: true }) type: string;
  @Prop({ required: true }) outcome: string;
  @Prop({ type: MongooseSchema.Types.Mixed }) actor?: AuditActor;
  @Prop({ type: MongooseSchema.Types.Mixed }) subject?: AuditSubject;
  @Prop() requestId?: string;
  @Prop() occurredAt?: Date;
  @Prop() count?: number;
  @Prop({ type: MongooseSchema.Types.Mixed }) anchor?: AuditAnchor;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: undefined }) apiKeys?: AuditApiKey[];
  @Prop() idempotencyKey?: string;
  @Prop({ required: true }) prevHash: string;
  @Prop({ required: true }) keyId: string;
  @Prop({ required: true }) hash: string;
  @Prop({ required: true }) mac: string;
}

export const AuditLogEntrySchema = SchemaFactory.createForClass(AuditLogEntry);
// Two gateways appending at once both compute the same next seq; the index lets exactly one of them have it.
AuditLogEntrySchema.index({ seq: 1 }, { unique: true });
AuditLogEntrySchema.index({ idempotencyKey: 1 }, { unique: true, sparse: true });
AuditLogEntrySchema.index({ type: 1, seq: -1 });
// A record's entries for its evidence bundle; entries without a record are left out of the index.
AuditLogEntrySchema.index({ 'subject.recordId': 1, seq: 1 }, { sparse: true });
