import { CertificateInfo } from '../../crypto/certificate';
import { DEFAULT_SM2_USER_ID } from '../../crypto/constants';
import { DIGEST_NAMES, OID, SM2_SIGNATURE_OIDS } from '../../crypto/oids';
import { pkijs } from '../../crypto/pkijs-engine';
import { sm2Verify } from '../../crypto/sm2';

const WEBCRYPTO_HASHES: Readonly<Record<string, string>> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

/**
 * The signer info's signature over the DER SET of its signed attributes (pkijs keeps those bytes re-tagged 0x31):
 * SM2 with SM3 and the GM/T 0009 default user ID through the project's own code, RSA (PKCS#1 v1.5 or PSS)
 * through pkijs and WebCrypto. False, never a throw, on any mismatch.
 */
export async function verifyTokenSignature(
  signerInfo: pkijs.SignerInfo,
  signer: pkijs.Certificate,
  tsaCert: CertificateInfo,
): Promise<boolean> {
  const signedBytes = signerInfo.signedAttrs?.encodedValue;
  if (!signedBytes) return false;
  const signatureOid = signerInfo.signatureAlgorithm.algorithmId;
  const digest = DIGEST_NAMES[signerInfo.digestAlgorithm.algorithmId];
  const signature = Buffer.from(signerInfo.signature.valueBlock.valueHexView);
  if (tsaCert.keyAlgorithm === 'SM2') {
    const sm2 = SM2_SIGNATURE_OIDS.has(signatureOid) || signatureOid === OID.ecPublicKey;
    return (
      sm2 &&
      digest === 'sm3' &&
      !!tsaCert.publicKeyHex &&
      sm2Verify(Buffer.from(signedBytes), signature, tsaCert.publicKeyHex, DEFAULT_SM2_USER_ID)
    );
  }
  const hash = digest && WEBCRYPTO_HASHES[digest];
  if (!hash) return false;
  try {
    return await pkijs
      .getCrypto(true)
      .verifyWithPublicKey(
        signedBytes,
        signerInfo.signature,
        signer.subjectPublicKeyInfo,
        signerInfo.signatureAlgorithm,
        hash,
      );
  } catch {
    return false;
  }
}
