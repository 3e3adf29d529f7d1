import * as asn1js from 'asn1js';
import { createHash, KeyObject, sign as nodeSign } from 'crypto';
import { attributeOid } from './distinguished-name';
import { CryptoError } from './errors';
import { OID } from './oids';
import { pkijs } from './pkijs-engine';
import { sm2Sign } from './sm2';

export type CertificateSigner =
  { keyAlgorithm: 'SM2'; privateKeyHex: string } | { keyAlgorithm: 'RSA'; privateKey: KeyObject };
export type SubjectKey = { keyAlgorithm: 'SM2'; publicKeyHex: string } | { keyAlgorithm: 'RSA'; publicKey: KeyObject };

export interface CertificateTemplate {
  serialNumber: Buffer;
  issuer: pkijs.RelativeDistinguishedNames;
  subject: pkijs.RelativeDistinguishedNames;
  notBefore: Date;
  notAfter: Date;
  subjectKey: SubjectKey;
  isCa: boolean;
  authorityKeyId?: Buffer;
  /** keyUsage bits of the first byte (0x80 digitalSignature … 0x02 cRLSign); a default by `isCa` when absent. */
  keyUsage?: number;
  /** Extended key usage OIDs, written as a critical extension (RFC 3161 asks that of a TSA certificate). */
  extendedKeyUsage?: string[];
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const PRINTABLE_TYPES = new Set(['2.5.4.6', '2.5.4.5']);

/** Attributes in encoding order (most general first), one attribute per RDN. */
export function buildName(attributes: [string, string][]): pkijs.RelativeDistinguishedNames {
  const typesAndValues = attributes.map(([name, value]) => {
    const type = attributeOid(name);
    if (!type) throw new CryptoError('INVALID_ARGUMENT', `unknown name attribute ${name}`);
    const printable = PRINTABLE_TYPES.has(type) && PRINTABLE.test(value);
    return new pkijs.AttributeTypeAndValue({
      type,
      value: printable ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value }),
    });
  });
  // pkijs would put every attribute into one multi-valued RDN; hand it the encoding we want instead.
  const encoded = new asn1js.Sequence({
    value: typesAndValues.map((atv) => new asn1js.Set({ value: [atv.toSchema()] })),
  });
  return new pkijs.RelativeDistinguishedNames({ typesAndValues, valueBeforeDecode: encoded.toBER() });
}

export function subjectPublicKeyInfo(key: SubjectKey): pkijs.PublicKeyInfo {
  if (key.keyAlgorithm === 'RSA') {
    return new pkijs.PublicKeyInfo({
      schema: asn1js.fromBER(key.publicKey.export({ type: 'spki', format: 'der' })).result,
    });
  }
  return new pkijs.PublicKeyInfo({
    algorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: OID.ecPublicKey,
      algorithmParams: new asn1js.ObjectIdentifier({ value: OID.sm2Curve }),
    }),
    subjectPublicKey: new asn1js.BitString({ valueHex: Buffer.from(key.publicKeyHex, 'hex') }),
  });
}

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(spki: pkijs.PublicKeyInfo): Buffer {
  return createHash('sha1').update(spki.subjectPublicKey.valueBlock.valueHexView).digest();
}

function keyUsage(bits: number): ArrayBuffer {
  // DER drops trailing zero bits of a named bit list.
  let unusedBits = 0;
  while (unusedBits < 7 && !(bits & (1 << unusedBits))) unusedBits++;
  return new asn1js.BitString({ valueHex: new Uint8Array([bits]), unusedBits }).toBER();
}

function extensions(template: CertificateTemplate, spki: pkijs.PublicKeyInfo): pkijs.Extension[] {
  const list = [
    new pkijs.Extension({
      extnID: OID.basicConstraints,
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: template.isCa }).toSchema().toBER(),
    }),
    // CA: keyCertSign + cRLSign; end entity: digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment.
    new pkijs.Extension({
      extnID: OID.keyUsage,
      critical: true,
      extnValue: keyUsage(template.keyUsage ?? (template.isCa ? 0x06 : 0xf0)),
    }),
    new pkijs.Extension({
      extnID: OID.subjectKeyIdentifier,
      extnValue: new asn1js.OctetString({ valueHex: keyIdentifier(spki) }).toBER(),
    }),
  ];
  if (template.extendedKeyUsage) {
    list.push(
      new pkijs.Extension({
        extnID: OID.extKeyUsage,
        critical: true,
        extnValue: new pkijs.ExtKeyUsage({ keyPurposes: template.extendedKeyUsage }).toSchema().toBER(),
      }),
    );
  }
  if (template.authorityKeyId) {
    const aki = new pkijs.AuthorityKeyIdentifier({
      keyIdentifier: new asn1js.OctetString({ valueHex: template.authorityKeyId }),
    });
    list.push(new pkijs.Extension({ extnID: OID.authorityKeyIdentifier, extnValue: aki.toSchema().toBER() }));
  }
  return list;
}

export function time(date: Date): pkijs.Time {
  // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
  return new pkijs.Time({ type: date.getUTCFullYear() < 2050 ? 0 : 1, value: date });
}

export function positiveInteger(bytes: Buffer): asn1js.Integer {
  const value = bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return new asn1js.Integer({ valueHex: value });
}

export function signatureAlgorithm(signer: CertificateSigner): pkijs.AlgorithmIdentifier {
  return signer.keyAlgorithm === 'SM2'
    ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.sm2WithSm3 })
    : new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() });
}

/** SM2 with SM3 and the default user ID, or SHA-256 with RSA PKCS#1 v1.5, matching `signatureAlgorithm`. */
export function signWithSigner(signer: CertificateSigner, data: Buffer): Buffer {
  return signer.keyAlgorithm === 'SM2'
    ? sm2Sign(data, signer.privateKeyHex)
    : nodeSign('sha256', data, signer.privateKey);
}

/** Encodes the TBS, signs it (SM2 with the default user ID, or SHA-256 with RSA) and returns the DER. */
export function buildCertificate(template: CertificateTemplate, signer: CertificateSigner): Buffer {
  const spki = subjectPublicKeyInfo(template.subjectKey);
  const cert = new pkijs.Certificate({
    version: 2,
    serialNumber: positiveInteger(template.serialNumber),
    issuer: template.issuer,
    subject: template.subject,
    notBefore: time(template.notBefore),
    notAfter: time(template.notAfter),
    subjectPublicKeyInfo: spki,
    extensions: extensions(template, spki),
    signature: signatureAlgorithm(signer),
    signatureAlgorithm: signatureAlgorithm(signer),
  });
  const tbs = Buffer.from(cert.encodeTBS().toBER());
  cert.tbsView = new Uint8Array(tbs);
  const signature = signWithSigner(signer, tbs);
  cert.signatureValue = new asn1js.BitString({ valueHex: signature });
  return Buffer.from(cert.toSchema().toBER());
}
