import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { RevocationRef, RevocationRefSchema } from '../../evidence/crl/revocation-ref.schema';
import { HydratedDocument, Schema as MongooseSchema } from 'mongoose';
import type { StoredAuditItem } from '../../evidence/audit/collection-outbox.store';

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
  /** The vendor's job reference (as in the QR code): an identifier inside the gateway, never accepted from a PC. */
  @Prop({ required: true, unique: true }) signDataId: string;
  /** SHA-256 of the handle the PC received as its signDataId; the handle itself is stored nowhere. */
  // Sparse: documents stored before per-login secrets have none, and no handle reaches them.
  @Prop({ required: true, unique: true, sparse: true }) handleHash: string;
  /** SHA-256 of the per-login token the PC receives as msspId at FINISH (derived from the handle). */
  @Prop({ required: true, unique: true, sparse: true }) tokenHash: string;
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
  /** The vendor's permanent user id: an identifier for records and seal images, never a credential. */
  @Prop() msspId?: string;
  /** Who scanned, by the vendor's identity rule; what enrollment compares with the UserCode's enrolled identity. */
  @Prop() identity?: string;
  @Prop() signResult?: string;
  @Prop({ type: StoredCertificateSchema }) certificate?: StoredCertificate;
  /** The CRL check made when the login certificate was accepted (absent when no CRL of its issuer was loaded). */
  @Prop({ type: RevocationRefSchema }) revocation?: RevocationRef;
  /** Why a login was REJECTED by the gateway rather than declined by the nurse (CERT_REVOKED, IDENTITY_MISMATCH). */
  @Prop() rejectReason?: string;
  @Prop() finishedAt?: Date;
  @Prop() authorizedUntil?: Date;
  @Prop() endedAt?: Date;
  /**
   * Expired by the gateway while the vendor's QR code may still be scanned: the vendor is still asked until then, so a
   * late approval is refused and ended at the vendor.
   */
  @Prop() lateWatchUntil?: Date;
  /** A late approval that the gateway ended at the vendor (endAutoSign). */
  @Prop() lateFinishEndedAt?: Date;
  /** Audit items of committed transitions not yet in the audit chain (written in the transition's own update). */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: undefined }) auditOutbox?: StoredAuditItem[];
  createdAt?: Date;
  updatedAt?: Date;
}

export type CaAuthorizationDocument = HydratedDocument<CaAuthorization>;
export const CaAuthorizationSchema = SchemaFactory.createForClass(CaAuthorization);
CaAuthorizationSchema.index({ msspId: 1, finishedAt: -1 });
CaAuthorizationSchema.index({ lateWatchUntil: 1 }, { sparse: true });
CaAuthorizationSchema.index({ status: 1, qrExpiresAt: 1 });
CaAuthorizationSchema.index({ clientAddress: 1, status: 1, qrExpiresAt: 1 });
CaAuthorizationSchema.index({ status: 1, createdAt: 1 });
CaAuthorizationSchema.index({ 'auditOutbox.key': 1 }, { sparse: true });
