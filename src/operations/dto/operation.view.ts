import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { OPERATION_TYPES, type OperationStatus, type OperationType } from '../schemas/ca-operation.schema';

const OPERATION_STATUSES: OperationStatus[] = ['PENDING', 'FINISH', 'REJECTED', 'EXPIRED', 'FAILED'];

export class CertificateSummary {
  @ApiProperty()
  serialNumber: string;
  @ApiProperty()
  subject: string;
  @ApiPropertyOptional({ description: 'Base64 DER; in seal results only' })
  der?: string;
}

export class EncryptResult {
  @ApiProperty({ enum: ['SM2', 'RSA'], description: 'SM2 (C1C3C2) for SM2 certificates, RSA-OAEP-SHA256 for RSA ones' })
  algorithm: 'SM2' | 'RSA';
  @ApiProperty({ description: 'Base64' })
  ciphertext: string;
  @ApiProperty({ type: CertificateSummary })
  certificate: CertificateSummary;
}

export class DecryptResult {
  @ApiProperty({
    type: 'string',
    nullable: true,
    description:
      'Returned by the first read with the read key after the nurse decrypted; null otherwise, with the reason',
  })
  plaintext: string | null;
  @ApiPropertyOptional({ enum: ['DELIVERED', 'EXPIRED'] })
  removed?: 'DELIVERED' | 'EXPIRED';
  @ApiPropertyOptional({
    enum: ['READ_KEY_REQUIRED'],
    description: 'On the event stream: the plaintext goes only to a GET or POST result by the handle (the read key)',
  })
  locked?: 'READ_KEY_REQUIRED';
}

export class SealImageView {
  @ApiProperty()
  name: string;
  @ApiProperty({ description: 'Base64 image' })
  image: string;
}

export class SealResult {
  @ApiProperty({ description: 'Base64 PKCS#7 SignedData over the UTF-8 text of documentHash' })
  signature: string;
  @ApiProperty({ type: CertificateSummary })
  certificate: CertificateSummary;
  @ApiProperty({ type: SealImageView, description: 'The seal image chosen in round one' })
  seal: SealImageView;
  @ApiPropertyOptional()
  signatureCompanyCode?: string;
}

export class UnsealResult {
  @ApiProperty()
  sealOperationId: string;
  @ApiProperty({ format: 'date-time' })
  revokedAt: string;
  @ApiProperty({ description: 'Base64 PKCS#7 SignedData over the UTF-8 text of the sealed documentHash' })
  signature: string;
  @ApiProperty({ type: CertificateSummary })
  certificate: CertificateSummary;
}

export type OperationResult = EncryptResult | DecryptResult | SealResult | UnsealResult;
export const OPERATION_RESULTS = [EncryptResult, DecryptResult, SealResult, UnsealResult];

export class StartedOperationView {
  @ApiProperty({
    description:
      'The handle of this operation, only for the PC that started it: the QR code carries the scan service’s guid',
  })
  operationId: string;
  @ApiProperty({ enum: [...OPERATION_TYPES] })
  type: OperationType;
  @ApiProperty({ enum: ['PENDING'] })
  status: 'PENDING';
  @ApiProperty({ description: 'The QR content: {guid, url, city} as JSON text' })
  qrCode: string;
  @ApiProperty({ description: 'data:image/png;base64 URL of the rendered QR code' })
  qrImage: string;
  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
}

export class OperationFailureView {
  @ApiProperty({ example: 'REJECTED' })
  type: string;
  @ApiProperty()
  reason: string;
}

export class OperationView {
  @ApiProperty()
  operationId: string;
  @ApiProperty({ enum: [...OPERATION_TYPES] })
  type: OperationType;
  @ApiProperty({ enum: OPERATION_STATUSES })
  status: OperationStatus;
  @ApiProperty()
  qrCode: string;
  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
  @ApiPropertyOptional({
    description: 'FINISH only, by type',
    anyOf: OPERATION_RESULTS.map((result) => ({ $ref: getSchemaPath(result) })),
  })
  result?: OperationResult;
  @ApiPropertyOptional({ type: OperationFailureView, description: 'REJECTED, EXPIRED and FAILED: why' })
  failure?: OperationFailureView;
  @ApiPropertyOptional({ description: 'Unseal operations: the seal they revoke' })
  sealOperationId?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Seal operations that were revoked: when' })
  revokedAt?: string;
  @ApiPropertyOptional({ description: 'and by which unseal operation' })
  revokedBy?: string;
}
