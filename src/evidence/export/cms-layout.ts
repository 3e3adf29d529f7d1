import { childrenOf, CONTEXT, oidOf, readSingle, TAG, Tlv, UNIVERSAL } from '../../crypto/der';
import { CryptoError } from '../../crypto/errors';
import { DIGEST_NAMES, OID, SM2_SIGNATURE_OIDS } from '../../crypto/oids';

/** A byte range of a DER file, as `openssl asn1parse -offset -length` takes it. */
export interface ByteRange {
  offset: number;
  length: number;
}

/**
 * Where the first signer's pieces sit in a CMS / PKCS#7 SignedData file, so that `openssl asn1parse` can cut them out:
 * the signed attributes after their [0] IMPLICIT tag byte (a SET tag 0x31 in front gives the bytes the signature
 * covers) and the signature value's OCTET STRING (for `-strparse`).
 */
export interface SignerLayout {
  /** Undefined when the signer has no signed attributes (the signature is then over the content itself). */
  signedAttributesAfterTag?: ByteRange;
  /** The value of the messageDigest signed attribute. */
  messageDigest?: ByteRange;
  /** OpenSSL's name of the signer's digest algorithm (sm3, sha256, …). */
  digest: string;
  /** SM2 or RSA, by the signer's signature algorithm. */
  signatureAlgorithm: 'SM2' | 'RSA';
  signatureOctetString: number;
  /** The encapsulated content's bytes (the TSTInfo of a timestamp token). */
  content?: ByteRange;
}

function malformed(message: string): CryptoError {
  return new CryptoError('MALFORMED', `SignedData layout: ${message}`);
}

function child(tlv: Tlv, index: number, what: string): Tlv {
  const found = childrenOf(tlv)[index];
  if (!found) throw malformed(`missing ${what}`);
  return found;
}

function isUniversal(tlv: Tlv, tagNumber: number): boolean {
  return tlv.tagClass === UNIVERSAL && tlv.tagNumber === tagNumber;
}

/** Offsets of the first SignerInfo's signed attributes and signature in a DER ContentInfo of SignedData. */
export function signerLayout(der: Buffer): SignerLayout {
  const contentInfo = readSingle(der);
  const signedData = child(child(contentInfo, 1, '[0] content'), 0, 'SignedData');
  const parts = childrenOf(signedData);
  const encap = parts[2];
  const signerInfos = parts.at(-1);
  if (!encap || !signerInfos || !isUniversal(signerInfos, TAG.SET)) throw malformed('no signerInfos');
  const signer = child(signerInfos, 0, 'SignerInfo');
  const fields = childrenOf(signer);
  const attributes = fields.find((f) => f.tagClass === CONTEXT && f.tagNumber === 0 && f.constructed);
  const signatureAt = fields.findIndex((f) => isUniversal(f, TAG.OCTET_STRING));
  const signature = fields[signatureAt];
  if (!signature || signatureAt < 1) throw malformed('no signature value');
  if (attributes && der[attributes.start + 1] === 0x80) throw malformed('signed attributes of indefinite length');
  const digest = DIGEST_NAMES[algorithmOid(fields[2])];
  if (!digest) throw malformed('unknown digest algorithm');
  const messageDigest = attributes && messageDigestRange(attributes);
  return {
    digest,
    signatureAlgorithm: SM2_SIGNATURE_OIDS.has(algorithmOid(fields[signatureAt - 1])) ? 'SM2' : 'RSA',
    signatureOctetString: signature.start,
    ...(messageDigest && { messageDigest }),
    ...(attributes && {
      signedAttributesAfterTag: { offset: attributes.start + 1, length: attributes.end - attributes.start - 1 },
    }),
    ...contentRange(encap),
  };
}

function algorithmOid(tlv: Tlv | undefined): string {
  if (!tlv || !isUniversal(tlv, TAG.SEQUENCE)) throw malformed('missing AlgorithmIdentifier');
  return oidOf(child(tlv, 0, 'algorithm'));
}

function messageDigestRange(attributes: Tlv): ByteRange | undefined {
  for (const attribute of childrenOf(attributes)) {
    const [type, values] = childrenOf(attribute);
    if (!type || !values || oidOf(type) !== OID.messageDigestAttr) continue;
    const value = child(values, 0, 'messageDigest value');
    return { offset: value.valueStart, length: value.valueEnd - value.valueStart };
  }
  return undefined;
}

function contentRange(encap: Tlv): Pick<SignerLayout, 'content'> {
  const explicit = childrenOf(encap)[1];
  const octets = explicit && childrenOf(explicit)[0];
  if (!octets || !isUniversal(octets, TAG.OCTET_STRING) || octets.constructed) return {};
  return { content: { offset: octets.valueStart, length: octets.valueEnd - octets.valueStart } };
}

/** The hashedMessage of a TSTInfo (RFC 3161 §2.4.2), as a range of the TSTInfo DER itself. */
export function tstInfoImprint(tstInfo: Buffer): ByteRange {
  const messageImprint = child(readSingle(tstInfo), 2, 'messageImprint');
  const hashed = child(messageImprint, 1, 'hashedMessage');
  if (!isUniversal(hashed, TAG.OCTET_STRING)) throw malformed('hashedMessage is not an OCTET STRING');
  return { offset: hashed.valueStart, length: hashed.valueEnd - hashed.valueStart };
}
