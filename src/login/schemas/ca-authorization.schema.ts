import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';

export type LoginStatus = 'UNSIGN' | 'FINISH' | 'EXPIRED' | 'REJECTED';

@Schema({ _id: false })
export class StoredCertificate {
  /** Base64 DER, kept whole so that any signature can be checked again years later. */
  @Prop({ required: true }) der: string;
  @Prop({ required: true }) serialNumber: string;
  @Prop({ required: true }) subject: string;
  @Prop() subjectCommonName?: string;
  @Prop({ required: true }) issuer: string;
  @Prop({ required: true }) notBefore: Date;
  @Prop({ required: true }) notAfter: Date;
  @Prop({ required: true }) keyAlgorithm: string;
  @Prop({ required: true }) fingerprintSm3: string;
}
export const StoredCertificateSchema = SchemaFactory.createForClass(StoredCertificate);

/** One QR login and, once the nurse has approved it, her signing authorization. */
@Schema({ collection: 'caAuthorizations', timestamps: true })
export class CaAuthorization {
  @Prop({ required: true, unique: true }) signDataId: string;
  @Prop({ required: true }) provider: string;
  @Prop({ required: true, default: 'UNSIGN' }) status: LoginStatus;
  @Prop({ required: true }) qrCode: string;
  @Prop() challenge?: string;
  @Prop({ index: true }) userCode?: string;
  /** timeRegion as the PC sent it, and what it means in seconds under the configured unit. */
  @Prop({ required: true }) timeRegion: number;
  @Prop({ required: true }) validitySeconds: number;
  @Prop({ required: true }) qrExpiresAt: Date;
  /** The PC's address (request.ip), for the per-address limit on pending logins. */
  @Prop() clientAddress?: string;
  /** Lease: no instance asks the vendor about this login again before this time. */
  @Prop({ required: true }) nextPollAt: Date;
  @Prop() msspId?: string;
  /** Who scanned, by the vendor's identity rule; what enrollment compares with the UserCode's enrolled identity. */
  @Prop() identity?: string;
  /** Why a login ended REJECTED when the gateway refused it (IDENTITY_MISMATCH); absent when the nurse declined. */
  @Prop() reason?: string;
  @Prop() signResult?: string;
  @Prop({ type: StoredCertificateSchema }) certificate?: StoredCertificate;
  @Prop() finishedAt?: Date;
  @Prop() authorizedUntil?: Date;
  @Prop() endedAt?: Date;
  createdAt?: Date;
  updatedAt?: Date;
}

export type CaAuthorizationDocument = HydratedDocument<CaAuthorization>;
export const CaAuthorizationSchema = SchemaFactory.createForClass(CaAuthorization);
CaAuthorizationSchema.index({ msspId: 1, finishedAt: -1 });
CaAuthorizationSchema.index({ clientAddress: 1, status: 1, qrExpiresAt: 1 });
CaAuthorizationSchema.index({ status: 1, createdAt: 1 });
