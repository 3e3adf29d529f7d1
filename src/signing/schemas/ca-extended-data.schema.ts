import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';
import type { StoredAuditItem } from '../../evidence/audit/collection-outbox.store';
import { RevocationRef, RevocationRefSchema } from '../../evidence/crl/revocation-ref.schema';

export type RecordStatus = 'PENDING' | 'PENDING_SCAN' | 'SIGNED' | 'FAILED';

@Schema({ _id: false })
export class Verification {
  @Prop({ required: true }) valid: boolean;
  @Prop({ required: true }) verifiedAt: Date;
  @Prop() reason?: string;
}
const VerificationSchema = SchemaFactory.createForClass(Verification);

@Schema({ _id: false })
export class RecordFailure {
  @Prop({ required: true }) type: string;
  @Prop({ required: true }) message: string;
  @Prop() vendorCode?: string;
}
const RecordFailureSchema = SchemaFactory.createForClass(RecordFailure);

/** The outcome of the last check of the stored signature from this record alone (POST records/:id/verify). */
@Schema({ _id: false })
export class RecordCheck {
  @Prop({ required: true }) valid: boolean;
  @Prop() reason?: string;
  @Prop({ required: true }) checkedAt: Date;
}
const RecordCheckSchema = SchemaFactory.createForClass(RecordCheck);

export type RecordTimestampStatus = 'PENDING' | 'GRANTED' | 'FAILED';

/**
 * The RFC 3161 token over the signature value, requested after the record is SIGNED (never on the signing path).
 * PENDING and FAILED are retried from `nextAttemptAt`; a claim moves `nextAttemptAt` forward by a lease, so that a
 * crashed claimer's record becomes due again and only the holder of `claimId` may settle it.
 */
@Schema({ _id: false })
export class RecordTimestamp {
  @Prop({ required: true }) status: RecordTimestampStatus;
  @Prop({ required: true, default: 0 }) attempts: number;
  @Prop() nextAttemptAt?: Date;
  @Prop() claimId?: string;
  /** The last failure's reason (UNREACHABLE, TIMEOUT, BAD_SIGNATURE, …) and a message safe to show. */
  @Prop() reason?: string;
  @Prop() message?: string;
  /** Base64 of the TimeStampToken DER (CMS ContentInfo), what `openssl ts -verify -token_in` reads. */
  @Prop() token?: string;
  @Prop() genTime?: Date;
  @Prop() hashAlgorithm?: string;
  @Prop() serialNumber?: string;
  @Prop() policy?: string;
  @Prop() tsaSubject?: string;
  @Prop() tsaCertificateSm3?: string;
}
const RecordTimestampSchema = SchemaFactory.createForClass(RecordTimestamp);

/**
 * One signature of one nursing record (mnis.caExtendedData): enough to prove years later who signed what, when, with
 * which certificate, and to check the signature again from this record alone.
 */
@Schema({ collection: 'caExtendedData', timestamps: true })
export class CaExtendedData {
  /** SM3 of user, authorization, document and content: the same content signed again by the same user is one record. */
  @Prop({ required: true, unique: true }) idempotencyKey: string;
  @Prop({ required: true }) status: RecordStatus;
  @Prop({ required: true }) userCode: string;
  @Prop({ required: true }) msspId: string;
  @Prop({ required: true }) provider: string;
  @Prop({ required: true }) docId: string;
  @Prop({ required: true }) docType: string;
  /**
   * The exact UTF-8 text that was signed: version 2, the RFC 8785 canonical JSON of the envelope (type, id, content,
   * signer, record and claim time); version 1 (records without `envelopeVersion`), the document content alone.
   */
  @Prop({ required: true }) signedContent: string;
  /** The format of `signedContent`; absent on records made before version 2. */
  @Prop() envelopeVersion?: number;
  /** When the record was claimed, inside the version-2 envelope as ISO 8601 UTC with milliseconds. */
  @Prop() claimedAt?: Date;
  /** SM3 of the document content's canonical JSON (the version-1 bytes), whatever the envelope version. */
  @Prop({ required: true }) contentDigestSm3: string;
  /** The login (authorization) this signature was made under: the vendor's login job reference, not a credential. */
  @Prop({ required: true }) authorizationSignDataId: string;
  /** The vendor's id of this signature (COSS autoSign signDataId, Anhui guid). */
  @Prop() signDataId?: string;
  /** Interactive vendors: SHA-256 of the handle the PC follows the signing job with (derived from its token). */
  @Prop() jobHandleHash?: string;
  @Prop() signFormat?: string;
  @Prop() signResult?: string;
  @Prop() signCert?: string;
  @Prop() certSerial?: string;
  @Prop() certSubject?: string;
  @Prop() certIssuer?: string;
  /** Base64 DER of the signer certificate's issuers up to the trusted root it chained to at signing. */
  @Prop({ type: [String], default: undefined }) signChain?: string[];
  @Prop() appId?: string;
  @Prop({ type: VerificationSchema }) verification?: Verification;
  /** The CRL check made when the signature was accepted; absent when no CRL of the certificate's issuer was loaded. */
  @Prop({ type: RevocationRefSchema }) revocation?: RevocationRef;
  @Prop({ type: RecordFailureSchema }) failure?: RecordFailure;
  /** Whoever holds the attempt; recovery only touches attempts whose lease has run out. */
  @Prop({ required: true }) attemptId: string;
  @Prop({ required: true }) leaseUntil: Date;
  /** Set once the document itself carries this signature; recovery finishes what a crash left between the two. */
  @Prop({ required: true, default: false }) documentApplied: boolean;
  /** For interactive vendors: the QR content of the signing job, the lease of its poll, and who must sign it. */
  @Prop() qrCode?: string;
  @Prop() nextPollAt?: Date;
  @Prop() expectedSignerSm3?: string;
  @Prop() signedAt?: Date;
  @Prop({ type: RecordCheckSchema }) lastCheck?: RecordCheck;
  /** Audit items of committed transitions not yet in the audit chain (written in the transition's own update). */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: undefined }) auditOutbox?: StoredAuditItem[];
  /** Absent when the record was signed with TSA_DISABLED=true (or before timestamps existed). */
  @Prop({ type: RecordTimestampSchema }) timestamp?: RecordTimestamp;
  createdAt?: Date;
  updatedAt?: Date;
}

export type CaExtendedDataDocument = HydratedDocument<CaExtendedData> & { _id: Types.ObjectId };
/** A signature record as read from the collection. */
export type StoredRecord = CaExtendedData & { _id: Types.ObjectId };
export const CaExtendedDataSchema = SchemaFactory.createForClass(CaExtendedData);
// _id breaks ties in the newest-first list, so it is in the index too (no in-memory sort).
CaExtendedDataSchema.index({ docId: 1, docType: 1, createdAt: -1, _id: -1 });
CaExtendedDataSchema.index({ status: 1, leaseUntil: 1 });
// Recovery looks for the few SIGNED records not applied yet; by status alone it would read every signed record.
CaExtendedDataSchema.index({ documentApplied: 1, status: 1 });
CaExtendedDataSchema.index({ signDataId: 1 }, { sparse: true });
CaExtendedDataSchema.index({ 'auditOutbox.key': 1 }, { sparse: true });
CaExtendedDataSchema.index({ jobHandleHash: 1 }, { sparse: true });
// The stamper's sweep: timestamps due (PENDING or FAILED) by their next attempt; records without one are not indexed.
CaExtendedDataSchema.index({ 'timestamp.status': 1, 'timestamp.nextAttemptAt': 1 }, { sparse: true });
