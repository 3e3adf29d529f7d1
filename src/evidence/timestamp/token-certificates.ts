import * as asn1js from 'asn1js';
import { createHash } from 'crypto';
import { LruCache } from '../../crypto/lru';
import { pkijs } from '../../crypto/pkijs-engine';

/** The `certificates [0] IMPLICIT CertificateSet` field of a SignedData. */
const isCertificateSet = (block: asn1js.AsnType): boolean =>
  block.idBlock.tagClass === 3 && block.idBlock.tagNumber === 0;

/**
 * Takes the certificates out of a decoded SignedData before pkijs matches it against its schema, returning their DER.
 * pkijs would match every certificate of the set against the whole X.509 schema, then parse each again: most of the
 * cost of reading a token. A TSA sends the same certificate with every token, so the DER is parsed once
 * (pkijsCertificate) instead. Only X.509 certificates (universal SEQUENCEs) are kept; other choices are dropped.
 */
export function detachCertificates(signedData: asn1js.AsnType): Buffer[] {
  if (!(signedData instanceof asn1js.Sequence)) return [];
  const fields = signedData.valueBlock.value;
  const at = fields.findIndex(isCertificateSet);
  if (at < 0) return [];
  const [set] = fields.splice(at, 1);
  const members = set instanceof asn1js.Constructed ? set.valueBlock.value : [];
  return members
    .filter((member) => member instanceof asn1js.Sequence)
    .map((member) => Buffer.from(member.valueBeforeDecodeView));
}

const parsed = new LruCache<string, pkijs.Certificate>(256);

/** A pkijs Certificate for DER, parsed once per distinct DER (read-only: callers never modify it). */
export function pkijsCertificate(der: Buffer): pkijs.Certificate {
  const key = createHash('sha256').update(der).digest('hex');
  let cert = parsed.get(key);
  if (!cert) {
    cert = pkijs.Certificate.fromBER(der);
    parsed.set(key, cert);
  }
  return cert;
}
