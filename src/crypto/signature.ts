import { verify as nodeVerify } from 'crypto';
import { CertificateInternals } from './certificate';
import { RSA_SIGNATURE_HASHES, SM2_SIGNATURE_OIDS } from './oids';
import { sm2Verify } from './sm2';

/** How a signature value was produced: SM2 (SM3 with the Z value) or RSA PKCS#1 v1.5 with a hash. */
export type SignatureScheme = { kind: 'SM2' } | { kind: 'RSA'; hash: string };

/** The scheme of an X.509 signatureAlgorithm (certificates and CRLs), if it is one we verify. */
export function signatureSchemeOf(signatureAlgorithmOid: string): SignatureScheme | undefined {
  if (SM2_SIGNATURE_OIDS.has(signatureAlgorithmOid)) return { kind: 'SM2' };
  const hash = RSA_SIGNATURE_HASHES[signatureAlgorithmOid];
  return hash ? { kind: 'RSA', hash } : undefined;
}

/** Checks `signature` over `data` with the certificate's key; false (never a throw) on any mismatch. */
export function verifyWithCertificateKey(
  signer: CertificateInternals,
  scheme: SignatureScheme,
  data: Buffer,
  signature: Buffer,
  userId: string,
): boolean {
  try {
    if (scheme.kind === 'SM2') {
      return (
        signer.info.keyAlgorithm === 'SM2' &&
        !!signer.info.publicKeyHex &&
        sm2Verify(data, signature, signer.info.publicKeyHex, userId)
      );
    }
    return !!signer.rsaKey && nodeVerify(scheme.hash, data, signer.rsaKey, signature);
  } catch {
    return false;
  }
}
