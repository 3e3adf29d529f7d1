import * as asn1js from 'asn1js';
import { createHash, randomBytes, sign as nodeSign } from 'crypto';
import { certificateInternals } from '../../crypto/certificate';
import { OID } from '../../crypto/oids';
import { pkijs } from '../../crypto/pkijs-engine';
import { sm2Sign } from '../../crypto/sm2';
import { IssuedIdentity } from '../../crypto/test-ca';
import { essCertIdV2Attribute } from '../../evidence/timestamp/ess-cert-id';
import { TSP_OID } from '../../evidence/timestamp/tsp.constants';

export const SIM_TSA_POLICY = '1.2.156.112562.1.3161.1';

export interface TokenFields {
  messageImprint: pkijs.MessageImprint;
  nonce?: asn1js.Integer;
  policy?: string;
  genTime: Date;
  includeCertificate?: boolean;
}

function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

/** DER orders a SET OF by encoding; OpenSSL re-encodes the signed attributes before it checks the signature. */
function sortedAttributes(attributes: pkijs.Attribute[]): pkijs.Attribute[] {
  return attributes
    .map((a) => ({ a, der: Buffer.from(a.toSchema().toBER()) }))
    .sort((x, y) => Buffer.compare(x.der, y.der))
    .map(({ a }) => a);
}

interface TsaParts {
  /** The issuer name as pkijs reads it, for the signer info's IssuerAndSerialNumber. */
  issuer: pkijs.RelativeDistinguishedNames;
  /** `certificates [0] IMPLICIT SET` holding the TSA certificate as it was issued. */
  certificateSet: asn1js.Constructed;
}

const partsByTsa = new WeakMap<IssuedIdentity, TsaParts>();

/** What every token of one TSA repeats, made once: re-encoding the certificate costs more than signing. */
function partsOf(tsa: IssuedIdentity): TsaParts {
  let parts = partsByTsa.get(tsa);
  if (!parts) {
    parts = {
      issuer: pkijs.Certificate.fromBER(tsa.cert.der).issuer,
      certificateSet: new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: [asn1js.fromBER(tsa.cert.der).result],
      }),
    };
    partsByTsa.set(tsa, parts);
  }
  return parts;
}

/**
 * A TimeStampToken as a GM/T 0033 (SM2 with SM3) or RFC 3161 (RSA with SHA-256) TSA makes it: TSTInfo with
 * accuracy 1 s, signed attributes contentType, messageDigest and signingCertificateV2, the TSA certificate included.
 */
export function signToken(tsa: IssuedIdentity, fields: TokenFields, serial: Buffer): Buffer {
  const sm2 = tsa.keyAlgorithm === 'SM2';
  const digest = sm2 ? 'sm3' : 'sha256';
  const tstInfo = new pkijs.TSTInfo({
    version: 1,
    policy: fields.policy ?? SIM_TSA_POLICY,
    messageImprint: fields.messageImprint,
    serialNumber: new asn1js.Integer({ valueHex: serial }),
    genTime: new Date(Math.floor(fields.genTime.getTime() / 1000) * 1000),
    accuracy: new pkijs.Accuracy({ seconds: 1 }),
    ...(fields.nonce ? { nonce: fields.nonce } : {}),
  });
  const content = Buffer.from(tstInfo.toSchema().toBER());
  const internals = certificateInternals(tsa.cert);
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: sortedAttributes([
      attribute(OID.contentTypeAttr, new asn1js.ObjectIdentifier({ value: TSP_OID.tstInfo })),
      attribute(
        OID.messageDigestAttr,
        new asn1js.OctetString({ valueHex: createHash(digest).update(content).digest() }),
      ),
      essCertIdV2Attribute(tsa.cert.der, digest),
    ]),
  });
  const signedBytes = Buffer.from(signedAttrs.toSchema().toBER());
  signedBytes[0] = 0x31;
  const signature = sm2
    ? sm2Sign(signedBytes, tsa.privateKey as string)
    : nodeSign('sha256', signedBytes, tsa.privateKey);
  const digestAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: sm2 ? OID.sm3 : OID.sha256 });
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({
      issuer: partsOf(tsa).issuer,
      serialNumber: new asn1js.Integer({ valueHex: internals.serialBytes }),
    }),
    digestAlgorithm,
    signedAttrs,
    signatureAlgorithm: sm2
      ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.sm2WithSm3 })
      : new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() }),
    signature: new asn1js.OctetString({ valueHex: signature }),
  });
  const encapContentInfo = new pkijs.EncapsulatedContentInfo({ eContentType: TSP_OID.tstInfo });
  // Set after construction: the constructor would split the content into a BER constructed OCTET STRING.
  encapContentInfo.eContent = new asn1js.OctetString({ valueHex: content });
  const signedData = new pkijs.SignedData({
    version: 3,
    digestAlgorithms: [digestAlgorithm],
    encapContentInfo,
    signerInfos: [signerInfo],
  }).toSchema(true) as asn1js.Sequence;
  // SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo, certificates [0] OPTIONAL, ... }
  if (fields.includeCertificate ?? true) signedData.valueBlock.value.splice(3, 0, partsOf(tsa).certificateSet);
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.pkcs7SignedData, content: signedData });
  return Buffer.from(contentInfo.toSchema().toBER());
}

export function randomSerial(): Buffer {
  const serial = randomBytes(12);
  serial[0] = (serial[0] & 0x7f) | 0x01;
  return serial;
}
