import * as asn1js from 'asn1js';
import { CertificateSigner, positiveInteger, signatureAlgorithm, signWithSigner, time } from './certificate-builder';
import { OID } from './oids';
import { pkijs } from './pkijs-engine';

export interface CrlTemplate {
  issuer: pkijs.RelativeDistinguishedNames;
  authorityKeyId: Buffer;
  thisUpdate: Date;
  nextUpdate?: Date;
  crlNumber: number;
  revoked: { serialNumber: Buffer; revokedAt: Date }[];
}

/** An X.509 v2 CRL with cRLNumber and authorityKeyIdentifier, signed like the issuer's certificates. */
export function buildCrl(template: CrlTemplate, signer: CertificateSigner): Buffer {
  const aki = new pkijs.AuthorityKeyIdentifier({
    keyIdentifier: new asn1js.OctetString({ valueHex: template.authorityKeyId }),
  });
  const crl = new pkijs.CertificateRevocationList({
    version: 1,
    signature: signatureAlgorithm(signer),
    signatureAlgorithm: signatureAlgorithm(signer),
    issuer: template.issuer,
    thisUpdate: time(template.thisUpdate),
    ...(template.nextUpdate ? { nextUpdate: time(template.nextUpdate) } : {}),
    ...(template.revoked.length
      ? {
          revokedCertificates: template.revoked.map(
            (entry) =>
              new pkijs.RevokedCertificate({
                userCertificate: positiveInteger(entry.serialNumber),
                revocationDate: time(entry.revokedAt),
              }),
          ),
        }
      : {}),
    crlExtensions: new pkijs.Extensions({
      extensions: [
        new pkijs.Extension({
          extnID: OID.cRLNumber,
          extnValue: new asn1js.Integer({ value: template.crlNumber }).toBER(),
        }),
        new pkijs.Extension({ extnID: OID.authorityKeyIdentifier, extnValue: aki.toSchema().toBER() }),
      ],
    }),
  });
  // pkijs 3 keeps encodeTBS protected on CRLs (public on certificates); it is the documented way to get the TBS.
  const tbs = Buffer.from((crl as unknown as { encodeTBS(): asn1js.Sequence }).encodeTBS().toBER());
  crl.tbsView = new Uint8Array(tbs);
  crl.signatureValue = new asn1js.BitString({ valueHex: signWithSigner(signer, tbs) });
  return Buffer.from(crl.toSchema(false).toBER());
}
