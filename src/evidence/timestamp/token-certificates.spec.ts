import * as asn1js from 'asn1js';
import { createHash } from 'crypto';
import { OID } from '../../crypto/oids';
import { pkijs } from '../../crypto/pkijs-engine';
import { IssuedIdentity, TestCertificateAuthority } from '../../crypto/test-ca';
import { randomSerial, signToken } from '../../simulators/tsa/tsa-sim.signer';
import { detachCertificates, pkijsCertificate } from './token-certificates';

describe(detachCertificates.name, () => {
  let tsa: IssuedIdentity;
  const token = (includeCertificate: boolean) =>
    signToken(
      tsa,
      {
        messageImprint: new pkijs.MessageImprint({
          hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sm3 }),
          hashedMessage: new asn1js.OctetString({ valueHex: createHash('sm3').update('x').digest() }),
        }),
        genTime: new Date(),
        includeCertificate,
      },
      randomSerial(),
    );
  const signedDataOf = (der: Buffer) => new pkijs.ContentInfo({ schema: asn1js.fromBER(der).result }).content;

  beforeAll(async () => {
    const ca = await TestCertificateAuthority.create({ commonName: 'Detach spec', keyAlgorithm: 'SM2' });
    tsa = await ca.issue({ commonName: 'TSA', keyUsage: 0xc0, extendedKeyUsage: [OID.timeStamping] });
  });

  it("takes the certificate set out of a token's SignedData as DER, leaving a SignedData pkijs still reads", () => {
    const signedData = signedDataOf(token(true));
    const fields = (signedData as asn1js.Sequence).valueBlock.value.length;
    expect(detachCertificates(signedData)).toEqual([tsa.cert.der]);
    expect((signedData as asn1js.Sequence).valueBlock.value).toHaveLength(fields - 1);
    const parsed = new pkijs.SignedData({ schema: signedData });
    expect(parsed.certificates).toBeUndefined();
    expect(parsed.signerInfos).toHaveLength(1);
  });

  it('leaves a SignedData without certificates as it is', () => {
    const signedData = signedDataOf(token(false));
    const before = Buffer.from(signedData.toBER());
    expect(detachCertificates(signedData)).toEqual([]);
    expect(Buffer.from(signedData.toBER())).toEqual(before);
  });

  it('parses a certificate once per distinct DER', () => {
    const first = pkijsCertificate(tsa.cert.der);
    expect(pkijsCertificate(Buffer.from(tsa.cert.der))).toBe(first);
    expect(first.serialNumber.valueBlock.toString()).toBe(
      pkijs.Certificate.fromBER(tsa.cert.der).serialNumber.valueBlock.toString(),
    );
  });
});
