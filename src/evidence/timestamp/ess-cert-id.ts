import * as asn1js from 'asn1js';
import { createHash } from 'crypto';
import { DIGEST_NAMES, OID } from '../../crypto/oids';
import { pkijs } from '../../crypto/pkijs-engine';
import { TSP_OID } from './tsp.constants';

function children(block: unknown): unknown[] {
  return block instanceof asn1js.Sequence ? block.valueBlock.value : [];
}

/**
 * The first certificate hash of the ESS signingCertificate (SHA-1, RFC 2634) or signingCertificateV2 (RFC 5035,
 * SHA-256 unless named) attribute, which RFC 3161 requires so that the TSA certificate cannot be swapped.
 */
export function essCertHash(attributes: pkijs.Attribute[]): { hash: string; value: Buffer } | undefined {
  for (const attribute of attributes) {
    const v2 = attribute.type === TSP_OID.signingCertificateV2;
    if (!v2 && attribute.type !== TSP_OID.signingCertificate) continue;
    const [certs] = children(attribute.values[0]);
    const [first] = children(certs);
    const fields = children(first);
    let hashOid: string = v2 ? OID.sha256 : OID.sha1;
    if (v2 && fields[0] instanceof asn1js.Sequence) {
      hashOid = new pkijs.AlgorithmIdentifier({ schema: fields.shift() }).algorithmId;
    }
    const certHash = fields[0];
    const hash = DIGEST_NAMES[hashOid];
    if (!hash || !(certHash instanceof asn1js.OctetString)) return undefined;
    return { hash, value: Buffer.from(certHash.valueBlock.valueHexView) };
  }
  return undefined;
}

export function essCertIdMatches(attributes: pkijs.Attribute[], certificateDer: Buffer): boolean {
  const ess = essCertHash(attributes);
  return !!ess && createHash(ess.hash).update(certificateDer).digest().equals(ess.value);
}

/** signingCertificateV2 naming `certificateDer` by SHA-256 (the default, so no AlgorithmIdentifier) or SM3. */
export function essCertIdV2Attribute(certificateDer: Buffer, hash: 'sha256' | 'sm3'): pkijs.Attribute {
  const certHash = new asn1js.OctetString({ valueHex: createHash(hash).update(certificateDer).digest() });
  const id = new asn1js.Sequence({
    value:
      hash === 'sha256' ? [certHash] : [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sm3 }).toSchema(), certHash],
  });
  return new pkijs.Attribute({
    type: TSP_OID.signingCertificateV2,
    values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [id] })] })],
  });
}
