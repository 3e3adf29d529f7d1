import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Schema as MongooseSchema } from 'mongoose';
import type { StoredAuditItem } from '../../evidence/audit/collection-outbox.store';

export const OPERATION_TYPES = ['encrypt', 'decrypt', 'seal', 'unseal'] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];
export type OperationStatus = 'PENDING' | 'FINISH' | 'REJECTED' | 'EXPIRED' | 'FAILED';

@Schema({ _id: false })
export class OperationFailure {
  /** SIGNATURE_REJECTED, CERTIFICATE_REJECTED, NOT_THE_SEALER, ALREADY_REVOKED, ENCRYPT_FAILED, NO_SEAL, VENDOR_BAD_RESPONSE, REJECTED, EXPIRED */
  @Prop({ required: true }) type: string;
  @Prop({ required: true }) reason: string;
}
const OperationFailureSchema = SchemaFactory.createForClass(OperationFailure);

@Schema({ _id: false })
export class ChosenSeal {
  @Prop({ required: true }) name: string;
  /** Base64 image as the seal service returned it. */
  @Prop({ required: true }) image: string;
}
const ChosenSealSchema = SchemaFactory.createForClass(ChosenSeal);

/** One Anhui scan-service operation other than login and document signing: encrypt, decrypt, seal or unseal. */
@Schema({ collection: 'caOperations', timestamps: true })
export class CaOperation {
  /** The scan service's guid (as in the QR code): an identifier inside the gateway, never accepted from a PC. */
  @Prop({ required: true, unique: true }) operationId: string;
  /**
   * SHA-256 of the handle the starting PC received as its operationId: the only way to read the operation, and so
   * also the key to a decrypted plaintext.
   */
  // Sparse: documents stored before per-login secrets have none, and no handle reaches them.
  @Prop({ required: true, unique: true, sparse: true }) handleHash: string;
  @Prop({ type: String, required: true, enum: OPERATION_TYPES }) type: OperationType;
  @Prop({ required: true }) provider: string;
  @Prop({ type: String, required: true, default: 'PENDING' }) status: OperationStatus;
  @Prop({ required: true }) qrCode: string;
  /** Seal only: 1 until the app names its seal company, 2 once the hash is stored for it to sign. */
  @Prop() round?: number;
  /** Encrypt only: the text to encrypt, removed as soon as the operation ends. */
  @Prop() plaintext?: string;
  /** Seal and unseal: the document hash exactly as given, signed as UTF-8 text. */
  @Prop() documentHash?: string;
  @Prop() sealName?: string;
  @Prop({ type: ChosenSealSchema }) seal?: ChosenSeal;
  @Prop() signatureCompanyCode?: string;
  /** Unseal only: the seal operation it revokes. */
  @Prop({ index: true }) sealOperationId?: string;
  /** Lease: no instance asks the vendor about this operation again before this time. */
  @Prop({ required: true }) nextPollAt: Date;
  @Prop({ required: true }) expiresAt: Date;
  @Prop({ type: MongooseSchema.Types.Mixed }) result?: Record<string, unknown>;
  /** Decrypt only: the plaintext in `result` is removed at the first read that returns it, or at this time. */
  @Prop() resultExpiresAt?: Date;
  @Prop({ type: OperationFailureSchema }) failure?: OperationFailure;
  @Prop() finishedAt?: Date;
  /** Seal only: SM3 fingerprint of the certificate that signed the seal; only it may revoke the seal. */
  @Prop() sealerSm3?: string;
  @Prop() revokedAt?: Date;
  /** The unseal operation that revoked this seal. */
  @Prop() revokedBy?: string;
  /** Audit items of committed transitions not yet in the audit chain (written in the transition's own update). */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: undefined }) auditOutbox?: StoredAuditItem[];
  createdAt?: Date;
  updatedAt?: Date;
}

export type CaOperationDocument = HydratedDocument<CaOperation>;
export const CaOperationSchema = SchemaFactory.createForClass(CaOperation);
CaOperationSchema.index({ status: 1, expiresAt: 1 });
CaOperationSchema.index({ resultExpiresAt: 1 }, { sparse: true });
CaOperationSchema.index({ 'auditOutbox.key': 1 }, { sparse: true });
