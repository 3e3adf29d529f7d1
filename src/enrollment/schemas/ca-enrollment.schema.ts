import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export type EnrollmentSource = 'first-use' | 'admin' | 'import';

/** Which CA identity (as the vendor's identity rule states it) belongs to which UserCode, per vendor. */
@Schema({ collection: 'caEnrollments', timestamps: true })
export class CaEnrollment {
  @Prop({ required: true }) vendor: string;
  @Prop({ required: true }) userCode: string;
  @Prop({ required: true }) identity: string;
  @Prop({ required: true }) source: EnrollmentSource;
  createdAt?: Date;
  updatedAt?: Date;
}

export const CaEnrollmentSchema = SchemaFactory.createForClass(CaEnrollment);
CaEnrollmentSchema.index({ vendor: 1, userCode: 1 }, { unique: true });
CaEnrollmentSchema.index({ vendor: 1, identity: 1 }, { unique: true });
