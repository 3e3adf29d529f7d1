import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** The CRL a revocation check used; its bytes are in caCrls under `sm3`. */
@Schema({ _id: false })
export class CrlRef {
  @Prop({ required: true }) issuer: string;
  /** cRLNumber in decimal. */
  @Prop() number?: string;
  @Prop({ required: true }) thisUpdate: Date;
  @Prop() nextUpdate?: Date;
  @Prop({ required: true }) sm3: string;
}
const CrlRefSchema = SchemaFactory.createForClass(CrlRef);

/** What a record (or a login) keeps of the revocation check made when its certificate was accepted. */
@Schema({ _id: false })
export class RevocationRef {
  /** Not on its issuer's CRL: a revoked certificate is refused, so nothing accepted keeps another status. */
  @Prop({ required: true }) status: 'GOOD';
  @Prop({ required: true }) checkedAt: Date;
  @Prop({ type: CrlRefSchema, required: true }) crl: CrlRef;
  /** The CRL was past its nextUpdate and used under CRL_STALE_POLICY=warn. */
  @Prop() stale?: boolean;
  @Prop() note?: string;
}
export const RevocationRefSchema = SchemaFactory.createForClass(RevocationRef);
