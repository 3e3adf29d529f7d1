import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { StoredAuditItem } from '../../evidence/audit/collection-outbox.store';

export type EnrollmentSource = 'first-use' | 'admin' | 'import';

/**
 * Which CA identity (as the vendor's identity rule states it) belongs to which UserCode, per vendor. A removed
 * enrollment stays as a tombstone without `vendor`, `userCode` and `identity` (so no index sees it) only until the
 * audit drain has taken its outbox item; then it is deleted.
 */
@Schema({ collection: 'caEnrollments', timestamps: true })
export class CaEnrollment {
  @Prop() vendor: string;
  @Prop() userCode: string;
  @Prop() identity: string;
  @Prop({ required: true }) source: EnrollmentSource;
  /** A tombstone's former keys, for the drain to find it once its removal is in the audit chain. */
  @Prop({ type: MongooseSchema.Types.Mixed }) removed?: { vendor: string; userCode: string; at: Date };
  /** Audit entries of this enrollment's changes, written in the same update as the change (see collection-outbox). */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: undefined }) auditOutbox?: StoredAuditItem[];
  createdAt?: Date;
  updatedAt?: Date;
}

export const CaEnrollmentSchema = SchemaFactory.createForClass(CaEnrollment);
// Sparse: a compound sparse index leaves out only documents missing every key, which is exactly a tombstone.
CaEnrollmentSchema.index({ vendor: 1, userCode: 1 }, { unique: true, sparse: true });
CaEnrollmentSchema.index({ vendor: 1, identity: 1 }, { unique: true, sparse: true });
CaEnrollmentSchema.index({ userCode: 1, vendor: 1 });
CaEnrollmentSchema.index({ 'auditOutbox.key': 1 }, { sparse: true });
CaEnrollmentSchema.index({ 'removed.userCode': 1 }, { sparse: true });
