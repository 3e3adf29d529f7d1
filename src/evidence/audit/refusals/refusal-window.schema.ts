import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { StoredAuditItem } from '../collection-outbox.store';

/**
 * caAuditRefusals: the 401, 403 and 429 answers of one minute for one (address, route template, status), counted
 * here and moved into the audit chain as one entry once the minute has closed. Written only by RefusalWindowStore,
 * through the driver; the schema builds the indexes and documents the shape.
 */
@Schema({ collection: 'caAuditRefusals', versionKey: false })
export class RefusalWindow {
  /** `<minute ISO>|<status>|<address>|<route>`: every gateway counts the same window into the same document. */
  @Prop({ required: true }) key: string;
  @Prop({ required: true }) minute: Date;
  @Prop({ required: true }) address: string;
  @Prop({ required: true }) route: string;
  @Prop({ required: true }) status: number;
  /** Refusals counted and not yet moved into an audit item. */
  @Prop({ required: true }) count: number;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: undefined }) auditOutbox?: StoredAuditItem[];
}

export const RefusalWindowSchema = SchemaFactory.createForClass(RefusalWindow);
// Unique: two gateways counting a new window at once upsert one document (an engine without unique indexes may keep
// two, which then become two entries for that minute: nothing is lost).
RefusalWindowSchema.index({ key: 1 }, { unique: true });
RefusalWindowSchema.index({ minute: 1 });
RefusalWindowSchema.index({ 'auditOutbox.key': 1 }, { sparse: true });
