import * as asn1js from 'asn1js';
import { CertificateInfo, certificateInternals, serialHex } from '../../crypto/certificate';
import { verifyChain } from '../../crypto/certificate-chain';
import { DEFAULT_SM2_USER_ID } from '../../crypto/constants';
import { formatName } from '../../crypto/distinguished-name';
import { CryptoError } from '../../crypto/errors';
import { OID } from '../../crypto/oids';
import { pemBlocks } from '../../crypto/pem';
import { pkijs } from '../../crypto/pkijs-engine';
import { signatureSchemeOf, verifyWithCertificateKey } from '../../crypto/signature';
import { sm3Hex } from '../../crypto/sm3';

/** What a record keeps of the CRL its certificate was checked against. */
export interface CrlReference {
  issuer: string;
  /** cRLNumber in decimal, when the CRL has one. */
  number?: string;
  thisUpdate: Date;
  nextUpdate?: Date;
  /** SM3 of the CRL's DER, lower-case hex: the key under which its bytes are kept. */
  sm3: string;
}

export interface CrlInfo extends CrlReference {
  der: Buffer;
  /** Upper-case serial hex -> revocation date. */
  revoked: ReadonlyMap<string, Date>;
}

interface CrlInternals {
  info: CrlInfo;
  tbs: Buffer;
  signatureAlgorithmOid: string;
  signature: Buffer;
  authorityKeyId?: Buffer;
}

// Delta CRLs, partitioned CRLs (issuingDistributionPoint) and indirect CRLs would need more than one list per issuer.
const UNDERSTOOD_CRITICAL = new Set<string>();

function malformed(message: string): CryptoError {
  return new CryptoError('CRL_MALFORMED', message);
}

/** DER or PEM (X509 CRL) bytes of one CRL. */
function crlDer(input: Buffer): Buffer {
  if (input[0] === 0x30) return input;
  const block = pemBlocks(input.toString('latin1')).find((b) => b.label === 'X509 CRL');
  if (!block) throw malformed('neither a DER CRL nor a PEM X509 CRL block');
  return block.der;
}

const parsed = new WeakMap<CrlInfo, CrlInternals>();

export function parseCrl(input: Buffer): CrlInfo {
  const der = Buffer.from(crlDer(input));
  const asn = asn1js.fromBER(der);
  if (asn.offset === -1 || asn.offset !== der.length) throw malformed('not a single DER element');
  let crl: pkijs.CertificateRevocationList;
  try {
    crl = new pkijs.CertificateRevocationList({ schema: asn.result });
  } catch (error) {
    throw malformed(`not an X.509 CRL: ${(error as Error).message}`);
  }
  const extensions = crl.crlExtensions?.extensions ?? [];
  const unknownCritical = extensions.find((e) => e.critical && !UNDERSTOOD_CRITICAL.has(e.extnID));
  if (unknownCritical) throw new CryptoError('CRL_UNSUPPORTED', `critical CRL extension ${unknownCritical.extnID}`);
  const number = extensions.find((e) => e.extnID === OID.cRLNumber)?.parsedValue;
  const aki = extensions.find((e) => e.extnID === OID.authorityKeyIdentifier)?.parsedValue;
  const revoked = new Map<string, Date>();
  for (const entry of crl.revokedCertificates ?? []) {
    revoked.set(serialHex(entry.userCertificate.valueBlock.valueHexView), entry.revocationDate.value);
  }
  const info: CrlInfo = Object.freeze({
    der,
    issuer: formatName(Buffer.from(crl.issuer.valueBeforeDecode)).text,
    ...(number instanceof asn1js.Integer
      ? { number: BigInt(`0x${serialHex(number.valueBlock.valueHexView)}`).toString() }
      : {}),
    thisUpdate: crl.thisUpdate.value,
    ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate.value } : {}),
    sm3: sm3Hex(der),
    revoked,
  });
  parsed.set(info, {
    info,
    tbs: Buffer.from(crl.tbsView),
    signatureAlgorithmOid: crl.signatureAlgorithm.algorithmId,
    signature: Buffer.from(crl.signatureValue.valueBlock.valueHexView),
    authorityKeyId:
      aki instanceof pkijs.AuthorityKeyIdentifier && aki.keyIdentifier
        ? Buffer.from(aki.keyIdentifier.valueBlock.valueHexView)
        : undefined,
  });
  return info;
}

/**
 * Finds the CRL's issuer among the trusted roots and intermediates (same name, matching key identifier when both
 * carry one, allowed to sign CRLs), checks its signature (SM2 with the default user ID, or RSA) over the TBS, and
 * that an intermediate issuer chains to a root at thisUpdate.
 */
export function verifyCrl(
  crl: CrlInfo,
  trustedRoots: CertificateInfo[],
  intermediates: CertificateInfo[] = [],
): { valid: true; issuer: CertificateInfo } | { valid: false; reason: string } {
  const internals = parsed.get(crl);
  if (!internals) return { valid: false, reason: 'NOT_PARSED' };
  const scheme = signatureSchemeOf(internals.signatureAlgorithmOid);
  if (!scheme) return { valid: false, reason: 'UNSUPPORTED_ALGORITHM' };
  const roots = new Set(trustedRoots.map((r) => r.fingerprintSm3));
  let reason = 'NO_ISSUER';
  for (const candidate of [...trustedRoots, ...intermediates]) {
    const issuer = certificateInternals(candidate);
    if (issuer.info.subject !== crl.issuer) continue;
    if (internals.authorityKeyId && issuer.subjectKeyId && !internals.authorityKeyId.equals(issuer.subjectKeyId))
      continue;
    if (issuer.crlSign === false) {
      reason = 'ISSUER_MAY_NOT_SIGN_CRLS';
      continue;
    }
    if (!verifyWithCertificateKey(issuer, scheme, internals.tbs, internals.signature, DEFAULT_SM2_USER_ID)) {
      reason = 'BAD_SIGNATURE';
      continue;
    }
    if (roots.has(candidate.fingerprintSm3)) return { valid: true, issuer: candidate };
    const chain = verifyChain(candidate, trustedRoots, intermediates, crl.thisUpdate);
    if (chain.valid) return { valid: true, issuer: candidate };
    reason = `ISSUER_${chain.reason ?? 'UNTRUSTED'}`;
  }
  return { valid: false, reason };
}

export function crlReference(crl: CrlInfo): CrlReference {
  return {
    issuer: crl.issuer,
    ...(crl.number === undefined ? {} : { number: crl.number }),
    thisUpdate: crl.thisUpdate,
    ...(crl.nextUpdate === undefined ? {} : { nextUpdate: crl.nextUpdate }),
    sm3: crl.sm3,
  };
}

/** A CRL reference as JSON shows it (dates in ISO 8601). */
export interface CrlReferenceView {
  issuer: string;
  number?: string;
  thisUpdate: string;
  nextUpdate?: string;
  sm3: string;
}

export function crlReferenceView(crl: CrlReference): CrlReferenceView {
  return {
    issuer: crl.issuer,
    number: crl.number,
    thisUpdate: crl.thisUpdate.toISOString(),
    nextUpdate: crl.nextUpdate?.toISOString(),
    sm3: crl.sm3,
  };
}

/** The later of two CRLs of one issuer: by cRLNumber when both have one, else by thisUpdate. */
export function isNewerCrl(candidate: CrlInfo, current: CrlInfo | undefined): boolean {
  if (!current) return true;
  if (candidate.number !== undefined && current.number !== undefined)
    return BigInt(candidate.number) > BigInt(current.number);
  return candidate.thisUpdate.getTime() > current.thisUpdate.getTime();
}
