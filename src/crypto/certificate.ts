import * as asn1js from 'asn1js';
import { createPublicKey, KeyObject } from 'crypto';
import { readFileSync } from 'fs';
import { KeyAlgorithm } from './constants';
import { formatName } from './distinguished-name';
import { CryptoError } from './errors';
import { LruCache } from './lru';
import { OID } from './oids';
import { pemBlocks, toDer } from './pem';
import { pkijs } from './pkijs-engine';
import { normalizePublicKeyHex } from './sm2-keys';
import { sm3Hex } from './sm3';

/** Frozen and shared through a cache: treat it, including `der` and the dates, as immutable. */
export interface CertificateInfo {
  der: Buffer;
  serialNumber: string;
  subject: string;
  subjectCommonName?: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  keyAlgorithm: KeyAlgorithm;
  publicKeyHex?: string;
  publicKeyPem?: string;
  fingerprintSm3: string;
}

/** What signature checks need, derived from `der` alone so that a copied or edited info cannot mislead them. */
export interface CertificateInternals {
  info: CertificateInfo;
  tbs: Buffer;
  signatureAlgorithmOid: string;
  signature: Buffer;
  issuerDer: Buffer;
  serialBytes: Buffer;
  isCa?: boolean;
  keyCertSign?: boolean;
  crlSign?: boolean;
  subjectKeyId?: Buffer;
  rsaKey?: KeyObject;
}

const cache = new LruCache<string, CertificateInfo>(2000);
const internals = new WeakMap<CertificateInfo, CertificateInternals>();

/** Upper-case hex of the serial without DER sign padding, as OpenSSL and Node print it. */
export function serialHex(integerBytes: Uint8Array): string {
  let start = 0;
  while (start < integerBytes.length - 1 && integerBytes[start] === 0) start++;
  return Buffer.from(integerBytes.subarray(start)).toString('hex').toUpperCase();
}

function unsupported(what: string): CryptoError {
  return new CryptoError('UNSUPPORTED_ALGORITHM', `unsupported certificate key: ${what}`);
}

function publicKeyOf(
  spki: pkijs.PublicKeyInfo,
): Pick<CertificateInfo, 'keyAlgorithm' | 'publicKeyHex' | 'publicKeyPem'> & { rsaKey?: KeyObject } {
  const algorithm = spki.algorithm.algorithmId;
  if (algorithm === OID.ecPublicKey || algorithm === OID.sm2Curve) {
    const params: unknown = spki.algorithm.algorithmParams;
    const curve = params instanceof asn1js.ObjectIdentifier ? params.valueBlock.toString() : undefined;
    if (algorithm === OID.ecPublicKey && curve !== OID.sm2Curve) throw unsupported(`EC curve ${curve ?? 'unknown'}`);
    const keyHex = Buffer.from(spki.subjectPublicKey.valueBlock.valueHexView).toString('hex');
    return { keyAlgorithm: 'SM2', publicKeyHex: normalizePublicKeyHex(keyHex) };
  }
  if (algorithm === OID.rsaEncryption) {
    const rsaKey = createPublicKey({ key: Buffer.from(spki.toSchema().toBER()), format: 'der', type: 'spki' });
    return { keyAlgorithm: 'RSA', publicKeyPem: rsaKey.export({ type: 'spki', format: 'pem' }).toString(), rsaKey };
  }
  throw unsupported(algorithm);
}

function extensionValue(cert: pkijs.Certificate, oid: string): unknown {
  return cert.extensions?.find((e) => e.extnID === oid)?.parsedValue;
}

function decode(der: Buffer, fingerprintSm3: string): CertificateInternals {
  const asn = asn1js.fromBER(der);
  if (asn.offset === -1 || asn.offset !== der.length) throw new Error('not a single DER element');
  const cert = new pkijs.Certificate({ schema: asn.result });
  if (cert.signature.algorithmId !== cert.signatureAlgorithm.algorithmId)
    throw new Error('inner and outer signature algorithms differ');
  const subject = formatName(Buffer.from(cert.subject.valueBeforeDecode));
  const issuerDer = Buffer.from(cert.issuer.valueBeforeDecode);
  const serialBytes = Buffer.from(cert.serialNumber.valueBlock.valueHexView);
  const { rsaKey, ...key } = publicKeyOf(cert.subjectPublicKeyInfo);
  const info: CertificateInfo = Object.freeze({
    der,
    serialNumber: serialHex(serialBytes),
    subject: subject.text,
    ...(subject.commonName === undefined ? {} : { subjectCommonName: subject.commonName }),
    issuer: formatName(issuerDer).text,
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    ...key,
    fingerprintSm3,
  });
  const basic = extensionValue(cert, OID.basicConstraints);
  const usage = extensionValue(cert, OID.keyUsage);
  const keyId = extensionValue(cert, OID.subjectKeyIdentifier);
  return {
    info,
    tbs: Buffer.from(cert.tbsView),
    signatureAlgorithmOid: cert.signatureAlgorithm.algorithmId,
    signature: Buffer.from(cert.signatureValue.valueBlock.valueHexView),
    issuerDer,
    serialBytes,
    isCa: basic instanceof pkijs.BasicConstraints ? basic.cA : undefined,
    keyCertSign: usage instanceof asn1js.BitString ? ((usage.valueBlock.valueHexView[0] ?? 0) & 0x04) !== 0 : undefined,
    crlSign: usage instanceof asn1js.BitString ? ((usage.valueBlock.valueHexView[0] ?? 0) & 0x02) !== 0 : undefined,
    subjectKeyId: keyId instanceof asn1js.OctetString ? Buffer.from(keyId.valueBlock.valueHexView) : undefined,
    rsaKey,
  };
}

/** Parsed certificates are cached by the SM3 fingerprint of their DER, so repeat calls cost one hash. */
export function parseCertificate(input: Buffer | string): CertificateInfo {
  let der: Buffer;
  try {
    der = toDer(input);
  } catch {
    throw new CryptoError('CERT_MALFORMED', 'certificate is neither DER, PEM nor base64');
  }
  const fingerprint = sm3Hex(der);
  const cached = cache.get(fingerprint);
  if (cached) return cached;
  let parsed: CertificateInternals;
  try {
    parsed = decode(Buffer.from(der), fingerprint);
  } catch (error) {
    if (error instanceof CryptoError && error.code === 'UNSUPPORTED_ALGORITHM') throw error;
    throw new CryptoError('CERT_MALFORMED', `not an X.509 certificate: ${(error as Error).message}`);
  }
  internals.set(parsed.info, parsed);
  cache.set(fingerprint, parsed.info);
  return parsed.info;
}

export function certificateInternals(cert: CertificateInfo): CertificateInternals {
  const known = internals.get(cert);
  if (known) return known;
  const parsed = internals.get(parseCertificate(cert.der));
  if (!parsed) throw new CryptoError('CERT_MALFORMED', 'certificate could not be re-parsed');
  return parsed;
}

export function checkValidity(
  cert: CertificateInfo,
  at: Date = new Date(),
): { valid: boolean; reason?: 'NOT_YET_VALID' | 'EXPIRED' } {
  if (at.getTime() < cert.notBefore.getTime()) return { valid: false, reason: 'NOT_YET_VALID' };
  if (at.getTime() > cert.notAfter.getTime()) return { valid: false, reason: 'EXPIRED' };
  return { valid: true };
}

const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE']);

/** PEM files may hold several certificates; anything else is one DER or base64 certificate per file. */
export function loadCertificatesFromFiles(paths: string[]): CertificateInfo[] {
  return paths.flatMap((path) => {
    let content: Buffer;
    try {
      content = readFileSync(path);
    } catch (error) {
      throw new CryptoError('CERT_FILE_UNREADABLE', `${path}: ${(error as Error).message}`);
    }
    try {
      if (!content.includes('-----BEGIN ')) return [parseCertificate(content)];
      const blocks = pemBlocks(content.toString('latin1')).filter((b) => CERTIFICATE_LABELS.has(b.label));
      if (blocks.length === 0) throw new CryptoError('CERT_MALFORMED', 'no CERTIFICATE block');
      return blocks.map((b) => parseCertificate(b.der));
    } catch (error) {
      const code = error instanceof CryptoError ? error.code : 'CERT_MALFORMED';
      throw new CryptoError(code, `${path}: ${(error as Error).message}`);
    }
  });
}
