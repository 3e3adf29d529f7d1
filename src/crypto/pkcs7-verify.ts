import { createHash } from 'crypto';
import {
  CertificateInfo,
  CertificateInternals,
  certificateInternals,
  checkValidity,
  parseCertificate,
  serialHex,
} from './certificate';
import { verifyChain } from './certificate-chain';
import { DEFAULT_SM2_USER_ID, KeyAlgorithm } from './constants';
import { formatName } from './distinguished-name';
import { DIGEST_NAMES, OID, RSA_SIGNATURE_HASHES, SM2_SIGNATURE_OIDS } from './oids';
import { toDer } from './pem';
import { OidFamily, ParsedSignedData, ParsedSignerInfo, parseSignedData, SignerIdentifier } from './pkcs7-parse';
import { SignatureScheme, verifyWithCertificateKey } from './signature';

export interface SignedDataVerification {
  valid: boolean;
  reason?: string;
  content?: Buffer;
  signer?: CertificateInfo;
  algorithm?: KeyAlgorithm;
  oidFamily?: OidFamily;
}

export interface VerifySignedDataOptions {
  expectedContent?: Buffer;
  detachedContent?: Buffer;
  externalSignerCert?: CertificateInfo;
  trustedRoots?: CertificateInfo[];
  at?: Date;
  userId?: string;
}

export function matchesSid(cert: CertificateInternals, sid: SignerIdentifier): boolean {
  if ('subjectKeyId' in sid) return !!cert.subjectKeyId && cert.subjectKeyId.equals(sid.subjectKeyId);
  if (serialHex(sid.serialBytes) !== cert.info.serialNumber) return false;
  // Byte comparison first; the formatted comparison tolerates re-encoded string types.
  return sid.issuerDer.equals(cert.issuerDer) || formatName(sid.issuerDer).text === cert.info.issuer;
}

function embeddedCertificates(parsed: ParsedSignedData): CertificateInternals[] {
  const out: CertificateInternals[] = [];
  for (const der of parsed.certificates) {
    try {
      out.push(certificateInternals(parseCertificate(der)));
    } catch {
      // An unusable extra certificate (e.g. an ECDSA one) does not spoil the others.
    }
  }
  return out;
}

/** Which digest and signature maths the signer info asks for, if this signer's key can do it. */
function schemeFor(
  signer: ParsedSignerInfo,
  keyAlgorithm: KeyAlgorithm,
): { digest: string; scheme: SignatureScheme } | undefined {
  const digest = DIGEST_NAMES[signer.digestAlgorithmOid];
  if (!digest) return undefined;
  if (keyAlgorithm === 'SM2') {
    const sm2Oid =
      SM2_SIGNATURE_OIDS.has(signer.signatureAlgorithmOid) || signer.signatureAlgorithmOid === OID.ecPublicKey;
    return sm2Oid && digest === 'sm3' ? { digest, scheme: { kind: 'SM2' } } : undefined;
  }
  const rsaOid =
    signer.signatureAlgorithmOid === OID.rsaEncryption || signer.signatureAlgorithmOid in RSA_SIGNATURE_HASHES;
  return rsaOid ? { digest, scheme: { kind: 'RSA', hash: digest } } : undefined;
}

function chainReason(reason: string | undefined): string {
  if (reason === 'EXPIRED') return 'CERT_EXPIRED';
  if (reason === 'NOT_YET_VALID') return 'CERT_NOT_YET_VALID';
  return 'UNTRUSTED';
}

function verifyParsed(parsed: ParsedSignedData, opts: VerifySignedDataOptions): SignedDataVerification {
  const { oidFamily } = parsed;
  const content = parsed.content ?? opts.detachedContent;
  if (!content) return { valid: false, reason: 'MALFORMED', oidFamily };
  if (opts.expectedContent && !content.equals(opts.expectedContent))
    return { valid: false, reason: 'CONTENT_MISMATCH', oidFamily };
  const embedded = embeddedCertificates(parsed);
  const userId = opts.userId ?? DEFAULT_SM2_USER_ID;
  let first: Pick<SignedDataVerification, 'signer' | 'algorithm'> = {};

  for (const signerInfo of parsed.signers) {
    const found = embedded.find((c) => matchesSid(c, signerInfo.sid));
    const signer = found ?? (opts.externalSignerCert && certificateInternals(opts.externalSignerCert));
    if (!signer) return { valid: false, reason: 'NO_SIGNER_CERT', oidFamily };
    const described = { signer: signer.info, algorithm: signer.info.keyAlgorithm, oidFamily };
    if (!first.signer) first = described;
    const fail = (reason: string): SignedDataVerification => ({ valid: false, reason, ...described });

    const method = schemeFor(signerInfo, signer.info.keyAlgorithm);
    if (!method) return fail('UNSUPPORTED_ALGORITHM');
    let signedBytes = content;
    if (signerInfo.signedAttributes) {
      const { messageDigest } = signerInfo.signedAttributes;
      if (!messageDigest) return fail('MALFORMED');
      if (!createHash(method.digest).update(content).digest().equals(messageDigest)) return fail('DIGEST_MISMATCH');
      signedBytes = signerInfo.signedAttributes.signedBytes;
    }
    if (!verifyWithCertificateKey(signer, method.scheme, signedBytes, signerInfo.signature, userId))
      return fail('BAD_SIGNATURE');

    const validity = checkValidity(signer.info, opts.at);
    if (!validity.valid) return fail(validity.reason === 'EXPIRED' ? 'CERT_EXPIRED' : 'CERT_NOT_YET_VALID');
    if (opts.trustedRoots?.length) {
      const chain = verifyChain(
        signer.info,
        opts.trustedRoots,
        embedded.map((c) => c.info),
        opts.at,
      );
      if (!chain.valid) return fail(chainReason(chain.reason));
    }
  }
  return { valid: true, content: parsed.content && Buffer.from(parsed.content), ...first, oidFamily };
}

/**
 * Verifies PKCS#7 / GM/T 0010 SignedData (SM2 with SM3, or RSA) and never throws: every failure becomes
 * `valid: false` with a reason. Every signer must verify; `signer` describes the first. `content` (the attached
 * content) is only returned when the signature is valid.
 */
export async function verifySignedData(
  p7: Buffer | string,
  opts: VerifySignedDataOptions = {},
): Promise<SignedDataVerification> {
  let parsed: ParsedSignedData;
  try {
    parsed = parseSignedData(toDer(p7));
  } catch {
    return { valid: false, reason: 'MALFORMED' };
  }
  try {
    return verifyParsed(parsed, opts);
  } catch {
    return { valid: false, reason: 'MALFORMED', oidFamily: parsed.oidFamily };
  }
}
