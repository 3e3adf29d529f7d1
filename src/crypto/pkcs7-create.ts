import * as asn1js from 'asn1js';
import { createHash, createPrivateKey, createPublicKey, KeyObject, sign as nodeSign } from 'crypto';
import { CertificateInfo, certificateInternals } from './certificate';
import { DEFAULT_SM2_USER_ID } from './constants';
import { encodeTlv } from './der';
import { CryptoError } from './errors';
import { OID } from './oids';
import type { OidFamily } from './pkcs7-parse';
import { sm2Sign } from './sm2';
import { normalizePrivateKeyHex, sm2PublicKeyOf } from './sm2-keys';

export interface CreateSignedDataOptions {
  content: Buffer;
  signerCert: CertificateInfo;
  privateKey: string | KeyObject;
  oidFamily?: OidFamily;
  withSignedAttributes?: boolean;
  includeCertificate?: boolean;
  userId?: string;
}

const CONTENT_TYPES: Readonly<Record<OidFamily, { data: string; signedData: string }>> = {
  pkcs7: { data: OID.pkcs7Data, signedData: OID.pkcs7SignedData },
  gmt0010: { data: OID.gmtData, signedData: OID.gmtSignedData },
};

const sequence = (...parts: Buffer[]): Buffer => encodeTlv(0x30, ...parts);
const set = (...parts: Buffer[]): Buffer => encodeTlv(0x31, ...parts);
const context0 = (...parts: Buffer[]): Buffer => encodeTlv(0xa0, ...parts);
const der = (value: asn1js.AsnType): Buffer => Buffer.from(value.toBER());
const oid = (value: string): Buffer => der(new asn1js.ObjectIdentifier({ value }));
const octets = (value: Buffer): Buffer => encodeTlv(0x04, value);
const version1 = (): Buffer => der(new asn1js.Integer({ value: 1 }));

function mismatch(): CryptoError {
  return new CryptoError('KEY_MISMATCH', 'private key does not belong to the signer certificate');
}

/** Checks that the key matches the certificate, so a wrong key fails here rather than at the verifier. */
function signWith(cert: CertificateInfo, privateKey: string | KeyObject, data: Buffer, userId: string): Buffer {
  if (cert.keyAlgorithm === 'SM2') {
    if (typeof privateKey !== 'string') throw new CryptoError('INVALID_KEY', 'SM2 private key must be hex');
    const privateHex = normalizePrivateKeyHex(privateKey);
    if (sm2PublicKeyOf(privateHex) !== cert.publicKeyHex) throw mismatch();
    return sm2Sign(data, privateHex, userId);
  }
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const spki = (k: KeyObject): Buffer =>
    (k.type === 'public' ? k : createPublicKey(k)).export({ type: 'spki', format: 'der' });
  const certKey = certificateInternals(cert).rsaKey;
  if (!certKey || !spki(key).equals(spki(certKey))) throw mismatch();
  return nodeSign('sha256', data, key);
}

/** contentType, signingTime, messageDigest in DER SET OF order (OpenSSL re-encodes them before verifying). */
function signedAttributes(contentType: string, digest: Buffer): Buffer[] {
  const attribute = (type: string, value: Buffer): Buffer => sequence(oid(type), set(value));
  return [
    attribute(OID.contentTypeAttr, oid(contentType)),
    attribute(OID.signingTimeAttr, der(new asn1js.UTCTime({ valueDate: new Date() }))),
    attribute(OID.messageDigestAttr, octets(digest)),
  ].sort(Buffer.compare);
}

/**
 * Attached-content SignedData in DER, always version 1 with issuerAndSerialNumber. Assembled by hand rather than
 * with pkijs.SignedData, which splits content into a BER constructed OCTET STRING, sets version 3 for the GM/T
 * data OID (GM/T 0010 uses 1) and re-encodes the embedded certificate.
 */
export async function createSignedData(opts: CreateSignedDataOptions): Promise<Buffer> {
  const internals = certificateInternals(opts.signerCert);
  const cert = internals.info;
  const family = opts.oidFamily ?? 'pkcs7';
  const types = CONTENT_TYPES[family];
  const sm2 = cert.keyAlgorithm === 'SM2';
  // AlgorithmIdentifier parameters: absent for SM3, SHA-256 and SM2; NULL for rsaEncryption (RFC 5754, RFC 3370).
  const digestAlgorithm = sequence(oid(sm2 ? OID.sm3 : OID.sha256));
  const signatureAlgorithm = sm2
    ? sequence(oid(family === 'gmt0010' ? OID.sm2Sign : OID.sm2WithSm3))
    : sequence(oid(OID.rsaEncryption), Buffer.from([0x05, 0x00]));

  let attributes: Buffer[] | undefined;
  let signedBytes = opts.content;
  if (opts.withSignedAttributes ?? true) {
    attributes = signedAttributes(
      types.data,
      createHash(sm2 ? 'sm3' : 'sha256')
        .update(opts.content)
        .digest(),
    );
    signedBytes = set(...attributes);
  }
  const signature = signWith(cert, opts.privateKey, signedBytes, opts.userId ?? DEFAULT_SM2_USER_ID);

  const signerInfo = sequence(
    version1(),
    sequence(internals.issuerDer, encodeTlv(0x02, internals.serialBytes)),
    digestAlgorithm,
    ...(attributes ? [context0(...attributes)] : []),
    signatureAlgorithm,
    octets(signature),
  );
  const signedData = sequence(
    version1(),
    set(digestAlgorithm),
    sequence(oid(types.data), context0(octets(opts.content))),
    ...((opts.includeCertificate ?? true) ? [context0(cert.der)] : []),
    set(signerInfo),
  );
  return sequence(oid(types.signedData), context0(signedData));
}
