import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** The bytes of a CRL a check used, once per SM3 digest, so that a record's revocation state can be shown years later. */
@Schema({ collection: 'caCrls' })
export class CaCrl {
  /** SM3 of `der`, lower-case hex: what records keep as `revocation.crl.sm3`. */
  @Prop({ required: true, unique: true }) sm3: string;
  /** Base64 of the CRL's DER (a string, as records keep certificates: every engine here keeps it byte for byte). */
  @Prop({ required: true }) der: string;
  @Prop({ required: true }) issuer: string;
  @Prop() number?: string;
  @Prop({ required: true }) thisUpdate: Date;
  @Prop() nextUpdate?: Date;
  @Prop({ required: true }) keptAt: Date;
}

export const CaCrlSchema = SchemaFactory.createForClass(CaCrl);
