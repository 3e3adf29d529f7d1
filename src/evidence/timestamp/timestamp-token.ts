import * as asn1js from 'asn1js';
import { createHash } from 'crypto';
import { CertificateInfo, parseCertificate, serialHex } from '../../crypto/certificate';
import { verifyChain } from '../../crypto/certificate-chain';
import { DIGEST_NAMES, OID } from '../../crypto/oids';
import { pkijs } from '../../crypto/pkijs-engine';
import { essCertIdMatches } from './ess-cert-id';
import { detachCertificates, pkijsCertificate } from './token-certificates';
import { TimestampCheckError, TimestampToken } from './timestamp.types';
import { verifyTokenSignature } from './token-signature';
import { TSA_HASH_OIDS, TsaHash, TSP_OID } from './tsp.constants';

export interface TokenCheckOptions {
  /** The bytes the token should vouch for (the signature value, CAdES-T style). */
  data: Buffer;
  trustedRoots: CertificateInfo[];
  /** Certificates to look in besides those the token carries (a token requested without certReq). */
  extraCertificates?: CertificateInfo[];
  expectedHash?: TsaHash;
  expectedNonce?: Buffer;
  /** With `now`, genTime must lie within this many seconds of it. */
  maxSkewSeconds?: number;
  now?: Date;
}

interface TokenCertificate {
  der: Buffer;
  cert: pkijs.Certificate;
}

interface ParsedToken {
  signerInfos: pkijs.SignerInfo[];
  certificates: TokenCertificate[];
  tstInfo: pkijs.TSTInfo;
  eContent: Buffer;
}

const tokenCertificate = (der: Buffer): TokenCertificate => ({ der, cert: pkijsCertificate(der) });

const HASH_BY_OID: Readonly<Record<string, TsaHash>> = Object.fromEntries(
  Object.entries(TSA_HASH_OIDS).map(([name, oid]) => [oid, name as TsaHash]),
);

function bad(message: string): TimestampCheckError {
  return new TimestampCheckError('BAD_RESPONSE', message);
}

/**
 * The SignedData parts a token check reads: its encapsulated content and its signer infos, each matched to its pkijs
 * schema. Matching the whole SignedData to its schema as well cost about a third of a token check and adds nothing:
 * version and digestAlgorithms are not read, and the TSA's signature covers the parts that are.
 */
function signedDataParts(signedData: asn1js.AsnType): {
  encapContentInfo: pkijs.EncapsulatedContentInfo;
  signerInfos: pkijs.SignerInfo[];
} {
  const fields = signedData instanceof asn1js.Sequence ? signedData.valueBlock.value : [];
  const [version, digestAlgorithms, encapsulated] = fields;
  const signers = fields[fields.length - 1];
  if (
    fields.length < 4 ||
    !(version instanceof asn1js.Integer) ||
    !(digestAlgorithms instanceof asn1js.Set) ||
    !(signers instanceof asn1js.Set)
  )
    throw bad('token is not CMS SignedData');
  return {
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ schema: encapsulated }),
    signerInfos: signers.valueBlock.value.map((signer) => new pkijs.SignerInfo({ schema: signer })),
  };
}

/** `decoded`: the token already decoded from its DER (as part of the TSA's reply), so that it is not decoded twice. */
export function parseToken(tokenDer: Buffer, decoded?: asn1js.AsnType): ParsedToken {
  const asn = decoded ? { offset: tokenDer.length, result: decoded } : asn1js.fromBER(tokenDer);
  if (asn.offset === -1) throw bad('token is not DER');
  let parts: ReturnType<typeof signedDataParts>;
  let certificates: TokenCertificate[];
  try {
    const contentInfo = new pkijs.ContentInfo({ schema: asn.result });
    if (contentInfo.contentType !== OID.pkcs7SignedData) throw bad('token is not CMS SignedData');
    const ders = detachCertificates(contentInfo.content);
    parts = signedDataParts(contentInfo.content);
    certificates = ders.map(tokenCertificate);
  } catch (error) {
    if (error instanceof TimestampCheckError) throw error;
    throw bad('token is not CMS SignedData');
  }
  const { eContentType, eContent } = parts.encapContentInfo;
  if (eContentType !== TSP_OID.tstInfo || !eContent) throw bad('token does not hold a TSTInfo');
  const content = Buffer.from(eContent.getValue());
  try {
    return {
      signerInfos: parts.signerInfos,
      certificates,
      tstInfo: pkijs.TSTInfo.fromBER(content),
      eContent: content,
    };
  } catch {
    throw bad('TSTInfo is malformed');
  }
}

function integerBytes(value: asn1js.Integer | Buffer): string {
  const bytes = value instanceof asn1js.Integer ? value.valueBlock.valueHexView : value;
  return serialHex(bytes);
}

function checkImprint(tstInfo: pkijs.TSTInfo, opts: TokenCheckOptions): TsaHash {
  const { hashAlgorithm, hashedMessage } = tstInfo.messageImprint;
  const hash = HASH_BY_OID[hashAlgorithm.algorithmId];
  if (!hash) throw new TimestampCheckError('IMPRINT_MISMATCH', `imprint hash ${hashAlgorithm.algorithmId} unsupported`);
  if (opts.expectedHash && hash !== opts.expectedHash)
    throw new TimestampCheckError('IMPRINT_MISMATCH', `imprint uses ${hash}, ${opts.expectedHash} was asked`);
  const expected = createHash(hash).update(opts.data).digest();
  if (!expected.equals(Buffer.from(hashedMessage.valueBlock.valueHexView)))
    throw new TimestampCheckError('IMPRINT_MISMATCH', 'imprint is not the hash of the signature value');
  return hash;
}

function checkNonce(tstInfo: pkijs.TSTInfo, expected: Buffer | undefined): void {
  if (!expected) return;
  if (!tstInfo.nonce || integerBytes(tstInfo.nonce) !== integerBytes(expected))
    throw new TimestampCheckError('NONCE_MISMATCH', 'nonce differs from the request');
}

function subjectKeyId(cert: pkijs.Certificate): Buffer | undefined {
  const value = cert.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier)?.parsedValue;
  return value instanceof asn1js.OctetString ? Buffer.from(value.valueBlock.valueHexView) : undefined;
}

function findSigner(token: ParsedToken, extra: CertificateInfo[]): TokenCertificate {
  const { sid } = token.signerInfos[0];
  const candidates = [...token.certificates, ...extra.map((info) => tokenCertificate(info.der))];
  const found = candidates.find(({ cert }) => {
    if (sid instanceof pkijs.IssuerAndSerialNumber)
      return cert.issuer.isEqual(sid.issuer) && cert.serialNumber.isEqual(sid.serialNumber);
    const keyId = subjectKeyId(cert);
    const wanted = (sid as asn1js.Primitive).valueBlock.valueHexView;
    return !!keyId && keyId.equals(Buffer.from(wanted));
  });
  if (!found) throw new TimestampCheckError('UNTRUSTED', 'the TSA certificate is neither in the token nor given');
  return found;
}

function checkSignedAttributes(signerInfo: pkijs.SignerInfo, eContent: Buffer, signerDer: Buffer): void {
  const attributes = signerInfo.signedAttrs?.attributes;
  if (!attributes) throw new TimestampCheckError('BAD_SIGNATURE', 'token has no signed attributes');
  const digest = DIGEST_NAMES[signerInfo.digestAlgorithm.algorithmId];
  if (!digest) throw new TimestampCheckError('BAD_SIGNATURE', 'unsupported digest algorithm');
  const value = (type: string) => attributes.find((a) => a.type === type)?.values[0];
  const contentType = value(OID.contentTypeAttr);
  if (!(contentType instanceof asn1js.ObjectIdentifier) || contentType.valueBlock.toString() !== TSP_OID.tstInfo)
    throw new TimestampCheckError('BAD_SIGNATURE', 'contentType attribute is not id-ct-TSTInfo');
  const messageDigest = value(OID.messageDigestAttr);
  const actual = createHash(digest).update(eContent).digest();
  if (
    !(messageDigest instanceof asn1js.OctetString) ||
    !actual.equals(Buffer.from(messageDigest.valueBlock.valueHexView))
  )
    throw new TimestampCheckError('BAD_SIGNATURE', 'messageDigest attribute does not match the TSTInfo');
  if (!essCertIdMatches(attributes, signerDer))
    throw new TimestampCheckError('BAD_SIGNATURE', 'signingCertificate attribute does not name the TSA certificate');
}

/** The token's certificates that the project can use, as chain candidates; others are skipped. */
function embeddedCertificates(token: ParsedToken): CertificateInfo[] {
  return token.certificates.flatMap(({ der }) => {
    try {
      return [parseCertificate(der)];
    } catch {
      return [];
    }
  });
}

/** RFC 3161 2.3: the extended key usage is critical and timeStamping is its only purpose. */
function checkTimestampingEku(cert: pkijs.Certificate): void {
  const extension = cert.extensions?.find((e) => e.extnID === OID.extKeyUsage);
  const purposes = extension?.parsedValue instanceof pkijs.ExtKeyUsage ? extension.parsedValue.keyPurposes : [];
  if (!extension?.critical || purposes.length !== 1 || purposes[0] !== OID.timeStamping)
    throw new TimestampCheckError('NO_TIMESTAMPING_EKU', 'TSA certificate lacks a critical, sole timeStamping EKU');
}

/**
 * Every check RFC 3161 asks of a token, in order: imprint and nonce, the TSA's signature (SM2 or RSA) over the
 * signed attributes, the ESS certificate binding, the timeStamping EKU, the chain at genTime, and genTime's skew.
 * Throws TimestampCheckError with the first failure.
 */
export async function checkTimestampToken(
  tokenDer: Buffer,
  opts: TokenCheckOptions,
  decoded?: asn1js.AsnType,
): Promise<TimestampToken> {
  const token = parseToken(tokenDer, decoded);
  const { signerInfos, tstInfo, eContent } = token;
  const hashAlgorithm = checkImprint(tstInfo, opts);
  checkNonce(tstInfo, opts.expectedNonce);
  if (signerInfos.length !== 1) throw bad('token must have exactly one signer');
  const signerInfo = signerInfos[0];
  const { cert: signer, der: signerDer } = findSigner(token, opts.extraCertificates ?? []);
  let tsaCert: CertificateInfo;
  try {
    tsaCert = parseCertificate(signerDer);
  } catch {
    throw new TimestampCheckError('UNTRUSTED', 'TSA certificate is unusable');
  }
  checkSignedAttributes(signerInfo, eContent, signerDer);
  if (!(await verifyTokenSignature(signerInfo, signer, tsaCert)))
    throw new TimestampCheckError('BAD_SIGNATURE', "the TSA's signature does not verify");
  checkTimestampingEku(signer);
  const others = [...embeddedCertificates(token), ...(opts.extraCertificates ?? [])];
  const chain = verifyChain(tsaCert, opts.trustedRoots, others, tstInfo.genTime);
  if (!chain.valid)
    throw new TimestampCheckError('UNTRUSTED', `TSA certificate: ${chain.reason ?? 'UNTRUSTED'} at genTime`);
  if (opts.now && opts.maxSkewSeconds !== undefined) {
    const skewMs = Math.abs(tstInfo.genTime.getTime() - opts.now.getTime());
    if (skewMs > opts.maxSkewSeconds * 1000)
      throw new TimestampCheckError('SKEW', `genTime is ${Math.round(skewMs / 1000)} s from the gateway clock`);
  }
  return {
    tokenDer,
    genTime: tstInfo.genTime,
    serialNumber: integerBytes(tstInfo.serialNumber),
    policy: tstInfo.policy,
    tsaSubject: tsaCert.subject,
    tsaCertificateSm3: tsaCert.fingerprintSm3,
    hashAlgorithm,
  };
}
