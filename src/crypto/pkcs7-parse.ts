import {
  childrenOf,
  CONTEXT,
  expectChildren,
  expectTag,
  isTag,
  octetStringOf,
  oidOf,
  rawOf,
  readSingle,
  TAG,
  Tlv,
  UNIVERSAL,
  valueOf,
} from './der';
import { CryptoError } from './errors';
import { OID } from './oids';

export type OidFamily = 'pkcs7' | 'gmt0010';

export type SignerIdentifier = { issuerDer: Buffer; serialBytes: Buffer } | { subjectKeyId: Buffer };

export interface ParsedSignerInfo {
  sid: SignerIdentifier;
  digestAlgorithmOid: string;
  /** The signed attributes re-tagged as SET (0x31), which is what the signature covers. */
  signedAttributes?: { signedBytes: Buffer; messageDigest?: Buffer };
  signatureAlgorithmOid: string;
  signature: Buffer;
}

export interface ParsedSignedData {
  oidFamily: OidFamily;
  eContentType: string;
  /** Undefined for a detached signature. */
  content?: Buffer;
  certificates: Buffer[];
  signers: ParsedSignerInfo[];
}

const SIGNED_DATA_TYPES: Readonly<Record<string, OidFamily>> = {
  [OID.pkcs7SignedData]: 'pkcs7',
  [OID.gmtSignedData]: 'gmt0010',
};

function malformed(message: string): CryptoError {
  return new CryptoError('MALFORMED', `SignedData: ${message}`);
}

function algorithmOid(tlv: Tlv | undefined): string {
  return oidOf(expectChildren(tlv, TAG.SEQUENCE, 'AlgorithmIdentifier')[0]);
}

function explicitChild(tlv: Tlv): Tlv {
  const [inner] = childrenOf(tlv);
  if (!inner) throw malformed('empty explicit tag');
  return inner;
}

/** RFC 5652 wraps content in an OCTET STRING; old PKCS#7 producers may put the DER value there instead. */
function contentOf(tlv: Tlv): Buffer {
  return isTag(tlv, UNIVERSAL, TAG.OCTET_STRING) ? octetStringOf(tlv) : valueOf(tlv);
}

function signedAttributesOf(tlv: Tlv): ParsedSignerInfo['signedAttributes'] {
  const signedBytes = Buffer.from(rawOf(tlv));
  signedBytes[0] = 0x31;
  let messageDigest: Buffer | undefined;
  for (const attribute of childrenOf(tlv)) {
    const [type, values] = expectChildren(attribute, TAG.SEQUENCE, 'Attribute');
    if (oidOf(type) !== OID.messageDigestAttr) continue;
    if (messageDigest) throw malformed('several messageDigest attributes');
    const [value, ...rest] = expectChildren(values, TAG.SET, 'attribute values');
    if (!value || rest.length) throw malformed('messageDigest must have one value');
    messageDigest = octetStringOf(value);
  }
  return { signedBytes, messageDigest };
}

function signerInfoOf(tlv: Tlv): ParsedSignerInfo {
  const fields = expectChildren(tlv, TAG.SEQUENCE, 'SignerInfo');
  let i = 1;
  const sidTlv = fields[i++];
  let sid: SignerIdentifier;
  if (isTag(sidTlv, CONTEXT, 0)) {
    sid = { subjectKeyId: valueOf(sidTlv) };
  } else {
    const [issuer, serial] = expectChildren(sidTlv, TAG.SEQUENCE, 'IssuerAndSerialNumber');
    sid = {
      issuerDer: rawOf(expectTag(issuer, UNIVERSAL, TAG.SEQUENCE, 'Name')),
      serialBytes: valueOf(expectTag(serial, UNIVERSAL, TAG.INTEGER, 'serial')),
    };
  }
  const digestAlgorithmOid = algorithmOid(fields[i++]);
  const signedAttributes = isTag(fields[i], CONTEXT, 0) ? signedAttributesOf(fields[i++]) : undefined;
  const signatureAlgorithmOid = algorithmOid(fields[i++]);
  const signature = octetStringOf(expectTag(fields[i], UNIVERSAL, TAG.OCTET_STRING, 'signature'));
  return { sid, digestAlgorithmOid, signedAttributes, signatureAlgorithmOid, signature };
}

/** Walks a ContentInfo holding SignedData (PKCS#7 or GM/T 0010 OIDs); throws CryptoError('MALFORMED'). */
export function parseSignedData(der: Buffer): ParsedSignedData {
  const [typeTlv, wrapped] = expectChildren(readSingle(der), TAG.SEQUENCE, 'ContentInfo');
  const oidFamily = SIGNED_DATA_TYPES[oidOf(typeTlv)];
  if (!oidFamily) throw malformed('content type is not signedData');
  const fields = expectChildren(
    explicitChild(expectTag(wrapped, CONTEXT, 0, '[0] content')),
    TAG.SEQUENCE,
    'SignedData',
  );
  expectTag(fields[0], UNIVERSAL, TAG.INTEGER, 'version');
  expectTag(fields[1], UNIVERSAL, TAG.SET, 'digestAlgorithms');
  const [eContentTypeTlv, eContentTlv] = expectChildren(fields[2], TAG.SEQUENCE, 'EncapsulatedContentInfo');
  const eContentType = oidOf(eContentTypeTlv);
  const content = eContentTlv
    ? contentOf(explicitChild(expectTag(eContentTlv, CONTEXT, 0, '[0] eContent')))
    : undefined;
  let i = 3;
  const certificates: Buffer[] = [];
  if (isTag(fields[i], CONTEXT, 0)) {
    // Only X.509 certificates (SEQUENCE); attribute and other certificate formats are skipped.
    for (const choice of childrenOf(fields[i++]))
      if (isTag(choice, UNIVERSAL, TAG.SEQUENCE)) certificates.push(rawOf(choice));
  }
  if (isTag(fields[i], CONTEXT, 1)) i++;
  const signers = expectChildren(fields[i], TAG.SET, 'signerInfos').map(signerInfoOf);
  if (signers.length === 0) throw malformed('no signerInfos');
  return { oidFamily, eContentType, content, certificates, signers };
}
