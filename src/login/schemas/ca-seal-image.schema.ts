import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** The seal image of a CA user, kept so that documents can show it without asking the vendor each time. */
@Schema({ collection: 'caSealImages', timestamps: true })
export class CaSealImage {
  @Prop({ required: true }) provider: string;
  @Prop({ required: true }) userId: string;
  /** Base64 PNG. */
  @Prop({ required: true }) image: string;
  @Prop() name?: string;
}

export const CaSealImageSchema = SchemaFactory.createForClass(CaSealImage);
CaSealImageSchema.index({ userId: 1, provider: 1 }, { unique: true });
