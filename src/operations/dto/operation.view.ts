import type { OperationStatus, OperationType } from '../schemas/ca-operation.schema';

export class CertificateSummary {
  serialNumber: string;
  subject: string;
  /** Base64 DER; in seal results only. */
  der?: string;
}

export class EncryptResult {
  /** SM2 (C1C3C2) for SM2 certificates, RSA-OAEP-SHA256 for RSA ones. */
  algorithm: 'SM2' | 'RSA';
  /** Base64. */
  ciphertext: string;
  certificate: CertificateSummary;
}

export class DecryptResult {
  /** Returned by the first read with the read key after the nurse decrypted; null otherwise, with the reason. */
  plaintext: string | null;
  removed?: 'DELIVERED' | 'EXPIRED';
  /** On the event stream: the plaintext goes only to a GET or POST result by the handle (the read key). */
  locked?: 'READ_KEY_REQUIRED';
}

export class SealResult {
  /** Base64 PKCS#7 SignedData over the UTF-8 text of documentHash. */
  signature: string;
  certificate: CertificateSummary;
  /** The seal image (base64) chosen in round one. */
  seal: { name: string; image: string };
  signatureCompanyCode?: string;
}

export class UnsealResult {
  sealOperationId: string;
  revokedAt: string;
  /** Base64 PKCS#7 SignedData over the UTF-8 text of the sealed documentHash. */
  signature: string;
  certificate: CertificateSummary;
}

export type OperationResult = EncryptResult | DecryptResult | SealResult | UnsealResult;

export class StartedOperationView {
  /** The handle of this operation, only for the PC that started it: the QR code carries the scan service's guid. */
  operationId: string;
  type: OperationType;
  status: 'PENDING';
  /** The QR content: {guid, url, city} as JSON text. */
  qrCode: string;
  /** data:image/png;base64 URL of the rendered QR code. */
  qrImage: string;
  expiresAt: string;
}

export class OperationView {
  operationId: string;
  type: OperationType;
  status: OperationStatus;
  qrCode: string;
  expiresAt: string;
  /** FINISH only, by type. */
  result?: OperationResult;
  /** REJECTED, EXPIRED and FAILED: why. */
  failure?: { type: string; reason: string };
  /** Unseal operations: the seal they revoke. */
  sealOperationId?: string;
  /** Seal operations that were revoked: when, and by which unseal operation. */
  revokedAt?: string;
  revokedBy?: string;
}
