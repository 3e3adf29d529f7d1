import { constants, KeyObject, privateDecrypt, publicEncrypt } from 'crypto';
import { CertificateInfo, certificateInternals } from './certificate';
import { KeyAlgorithm } from './constants';
import { CryptoError } from './errors';
import { sm2Encrypt } from './sm2';

// OAEP (SHA-256 for hash and MGF1): Node 20 refuses PKCS#1 v1.5 private decryption (CVE-2023-46809), so v1.5 would break our own decrypt path.
const PADDING = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' } as const;

export function rsaEncryptForCertificate(plaintext: Buffer, cert: CertificateInfo): Buffer {
  const key = certificateInternals(cert).rsaKey;
  if (!key) throw new CryptoError('UNSUPPORTED_ALGORITHM', 'certificate does not hold an RSA key');
  try {
    return publicEncrypt({ key, ...PADDING }, plaintext);
  } catch (error) {
    throw new CryptoError('ENCRYPT_FAILED', `RSA encryption failed: ${(error as Error).message}`);
  }
}

export function rsaDecrypt(ciphertext: Buffer, privateKey: string | KeyObject): Buffer {
  try {
    return privateDecrypt({ key: privateKey, ...PADDING }, ciphertext);
  } catch {
    throw new CryptoError('DECRYPT_FAILED', 'RSA decryption failed');
  }
}

/** SM2 (C1C3C2) or RSA-OAEP, chosen by the certificate's key. */
export function encryptForCertificate(
  plaintext: Buffer,
  cert: CertificateInfo,
): { algorithm: KeyAlgorithm; ciphertext: Buffer } {
  const { info } = certificateInternals(cert);
  if (info.keyAlgorithm === 'SM2' && info.publicKeyHex) {
    return { algorithm: 'SM2', ciphertext: sm2Encrypt(plaintext, info.publicKeyHex) };
  }
  return { algorithm: 'RSA', ciphertext: rsaEncryptForCertificate(plaintext, info) };
}
