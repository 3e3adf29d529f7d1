import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** startAutoSign calls from one client address in one minute, shared by every gateway instance. */
@Schema({ collection: 'caLoginCounters', versionKey: false })
export class CaLoginCounter {
  /** `<address>|<minute ISO>`: one document per address and minute, so the count is one atomic upsert. */
  @Prop({ required: true, unique: true }) key: string;
  @Prop({ required: true }) minute: Date;
  @Prop({ required: true }) count: number;
}

export const CaLoginCounterSchema = SchemaFactory.createForClass(CaLoginCounter);
CaLoginCounterSchema.index({ minute: 1 });
