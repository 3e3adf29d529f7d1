import { Injectable } from '@nestjs/common';
import { CaProviders } from '../ca/ca-providers';
import { SignatureVerifier } from '../ca/signature-verifier';
import { SignatureRejectedError } from '../common/errors';
import { CertificateInfo, CryptoError, encryptForCertificate } from '../crypto';
import { CertRevokedError } from '../evidence/crl/crl.errors';
import { Revocation } from '../evidence/crl/revocation.service';
import { EncryptResult } from './dto/operation.view';
import { OperationStore } from './operation.store';
import { CaOperation } from './schemas/ca-operation.schema';

/** How long a decrypted plaintext waits for its first reader before it is removed unread. */
export const DECRYPT_RESULT_TTL_MS = 2 * 60 * 1000;

/** Encrypt and decrypt once the app has answered (status 2). */
@Injectable()
export class CryptSteps {
  constructor(
    private readonly store: OperationStore,
    private readonly providers: CaProviders,
    private readonly verifier: SignatureVerifier,
    private readonly revocation: Revocation,
  ) {}

  /** The app answered with the nurse's certificate (base64 DER); the gateway encrypts for it here, not the vendor. */
  async encrypt(operation: CaOperation, value: string | null | undefined): Promise<CaOperation> {
    let certificate: CertificateInfo;
    try {
      certificate = await this.verifier.requireCertificate(
        String(value ?? ''),
        this.providers.trustedRoots(operation.provider),
      );
      // Nothing is encrypted for a revoked certificate.
      await this.revocation.require(certificate);
    } catch (error) {
      if (error instanceof CertRevokedError) {
        return this.store.end(operation, 'FAILED', { type: error.type, reason: error.message });
      }
      if (!(error instanceof SignatureRejectedError)) throw error;
      return this.store.end(operation, 'FAILED', { type: 'CERTIFICATE_REJECTED', reason: error.message });
    }
    if (operation.plaintext === undefined) {
      return this.store.end(operation, 'FAILED', {
        type: 'ENCRYPT_FAILED',
        reason: 'The plaintext is no longer stored',
      });
    }
    let encrypted: ReturnType<typeof encryptForCertificate>;
    try {
      encrypted = encryptForCertificate(Buffer.from(operation.plaintext, 'utf8'), certificate);
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      return this.store.end(operation, 'FAILED', { type: 'ENCRYPT_FAILED', reason: error.message });
    }
    const result: EncryptResult = {
      algorithm: encrypted.algorithm,
      ciphertext: encrypted.ciphertext.toString('base64'),
      certificate: { serialNumber: certificate.serialNumber, subject: certificate.subject },
    };
    return this.store.finish(operation, { ...result });
  }

  /** The app answered with the plaintext it decrypted; kept only until it is read once or for a short while. */
  decrypt(operation: CaOperation, value: string | null | undefined): Promise<CaOperation> {
    return this.store.finish(
      operation,
      { plaintext: String(value ?? '') },
      { resultExpiresAt: new Date(Date.now() + DECRYPT_RESULT_TTL_MS) },
    );
  }
}
