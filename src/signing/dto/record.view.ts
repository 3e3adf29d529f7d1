import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DOCUMENT_TYPE_NAMES } from '../schemas/nursing-record.schema';

export class TimestampView {
  @ApiProperty({ enum: ['PENDING', 'GRANTED', 'FAILED'] })
  status: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  genTime: string | null;
  @ApiPropertyOptional({ description: 'GRANTED' })
  hashAlgorithm?: string;
  @ApiPropertyOptional({ description: 'GRANTED' })
  serialNumber?: string;
  @ApiPropertyOptional({ description: 'GRANTED' })
  tsaSubject?: string;
  @ApiPropertyOptional({ type: 'string', nullable: true, description: 'PENDING and FAILED: the last failure' })
  reason?: string | null;
  @ApiPropertyOptional({ type: 'integer', description: 'PENDING and FAILED' })
  attempts?: number;
}

export class VerificationView {
  @ApiProperty()
  valid: boolean;
  @ApiProperty({ format: 'date-time' })
  verifiedAt: string;
  @ApiPropertyOptional()
  reason?: string;
}

export class RecordFailureView {
  @ApiProperty()
  type: string;
  @ApiProperty()
  message: string;
  @ApiPropertyOptional()
  vendorCode?: string;
}

export class CrlReferenceView {
  @ApiProperty({ description: 'Issuer DN of the CRL' })
  issuer: string;
  @ApiPropertyOptional({ description: 'cRLNumber in decimal' })
  number?: string;
  @ApiProperty({ format: 'date-time' })
  thisUpdate: string;
  @ApiPropertyOptional({ format: 'date-time' })
  nextUpdate?: string;
  @ApiProperty({ description: 'SM3 of the CRL DER (its key in caCrls)' })
  sm3: string;
}

/** What a record keeps of the revocation check made when its certificate was accepted. */
export class RecordRevocationView {
  @ApiProperty({ enum: ['GOOD'], description: 'A revoked certificate is refused, so nothing accepted keeps another' })
  status: 'GOOD';
  @ApiProperty({ format: 'date-time' })
  checkedAt: string;
  @ApiProperty({ type: CrlReferenceView })
  crl: CrlReferenceView;
  @ApiPropertyOptional({ description: 'The CRL was past its nextUpdate and used under CRL_STALE_POLICY=warn' })
  stale?: boolean;
  @ApiPropertyOptional()
  note?: string;
}

/** The signer certificate's revocation state at validAt, from the CRLs the gateway keeps. */
export class RevocationAtView {
  @ApiProperty({ enum: ['GOOD', 'REVOKED', 'NOT_CHECKED'] })
  status: 'GOOD' | 'REVOKED' | 'NOT_CHECKED';
  @ApiPropertyOptional({ type: CrlReferenceView })
  crl?: CrlReferenceView;
  @ApiPropertyOptional({ format: 'date-time' })
  revokedAt?: string;
}

/** A signature record as the records API shows it: no credential and no vendor user id. */
export class RecordView {
  @ApiProperty()
  recordId: string;
  @ApiProperty({ enum: ['PENDING', 'PENDING_SCAN', 'SIGNED', 'FAILED'] })
  status: string;
  @ApiProperty()
  userCode: string;
  @ApiProperty()
  provider: string;
  @ApiProperty()
  docId: string;
  @ApiProperty({ enum: DOCUMENT_TYPE_NAMES })
  type: string;
  @ApiProperty({
    description: 'The exact UTF-8 text that was signed: version 2, the RFC 8785 JCS envelope; version 1, the record',
  })
  signedContent: string;
  @ApiProperty({ type: 'integer', enum: [1, 2], description: 'What signedContent is (records before version 2: 1)' })
  envelopeVersion: number;
  @ApiPropertyOptional({ format: 'date-time', description: 'Version 2: the claim time inside the envelope' })
  claimedAt?: string;
  @ApiProperty({ description: 'SM3 of signedContent, hex' })
  contentDigestSm3: string;
  @ApiPropertyOptional({ description: "The vendor's id of this signature" })
  signDataId?: string;
  @ApiPropertyOptional({ example: 'PKCS7' })
  signFormat?: string;
  @ApiPropertyOptional({ description: 'Base64 signature' })
  signResult?: string;
  @ApiPropertyOptional({ description: 'Base64 DER signer certificate' })
  signCert?: string;
  @ApiPropertyOptional()
  certSerial?: string;
  @ApiPropertyOptional()
  certSubject?: string;
  @ApiPropertyOptional()
  certIssuer?: string;
  @ApiPropertyOptional()
  appId?: string;
  @ApiPropertyOptional({ type: VerificationView })
  verification?: VerificationView;
  @ApiPropertyOptional({ type: RecordFailureView })
  failure?: RecordFailureView;
  @ApiPropertyOptional({ type: RecordRevocationView, description: 'The revocation check made when it was signed' })
  revocation?: RecordRevocationView;
  @ApiPropertyOptional({ format: 'date-time' })
  signedAt?: string;
  @ApiProperty({ type: TimestampView, nullable: true, description: 'null when the record has no timestamp' })
  timestamp: TimestampView | null;
  @ApiPropertyOptional({ format: 'date-time' })
  createdAt?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  updatedAt?: string;
}

export class VerifyView {
  @ApiProperty()
  recordId: string;
  @ApiProperty()
  valid: boolean;
  @ApiPropertyOptional({ example: 'CONTENT_DIGEST_MISMATCH' })
  reason?: string;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'The instant the signature and certificate were checked at (not now: long-term validation)',
  })
  validAt?: string;
  @ApiPropertyOptional({
    enum: ['TIMESTAMPED', 'SIGNING_TIME'],
    description: "TIMESTAMPED: at a verified timestamp's genTime; SIGNING_TIME: at the gateway's own signedAt",
  })
  assurance?: 'TIMESTAMPED' | 'SIGNING_TIME';
  @ApiPropertyOptional({ type: RevocationAtView })
  revocation?: RevocationAtView;
  @ApiProperty({ type: [String] })
  notes: string[];
  @ApiProperty({ format: 'date-time' })
  checkedAt: string;
}

export class DocumentSignatureView {
  @ApiProperty({ enum: ['SIGNED'] })
  status: 'SIGNED';
  @ApiProperty()
  recordId: string;
  @ApiProperty({ format: 'date-time' })
  signedAt: string;
  @ApiProperty()
  userCode: string;
  @ApiPropertyOptional()
  certSubject?: string;
  @ApiProperty()
  contentDigestSm3: string;
  @ApiProperty({ type: TimestampView, nullable: true })
  timestamp: TimestampView | null;
}

export class DocumentView {
  @ApiProperty()
  docId: string;
  @ApiProperty({ enum: DOCUMENT_TYPE_NAMES })
  type: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The record as MNIS sent it' })
  content: Record<string, unknown>;
  @ApiProperty()
  contentDigestSm3: string;
  @ApiProperty({ type: DocumentSignatureView, nullable: true, description: 'null until the document is signed' })
  signature: DocumentSignatureView | null;
  @ApiPropertyOptional({ format: 'date-time' })
  updatedAt?: string;
}
