import * as asn1js from 'asn1js';
import { createHash } from 'crypto';
import { KeyAlgorithm } from '../../crypto/constants';
import { OID } from '../../crypto/oids';
import { pkijs } from '../../crypto/pkijs-engine';
import { IssuedIdentity, TestCertificateAuthority } from '../../crypto/test-ca';
import { randomSerial, signToken } from '../../simulators/tsa/tsa-sim.signer';
import { checkTimestampToken } from './timestamp-token';
import { TimestampCheckError } from './timestamp.types';
import { TSP_OID } from './tsp.constants';

const DAY = 86_400_000;
const signature = Buffer.from('a signature value');

function imprint(data: Buffer): pkijs.MessageImprint {
  return new pkijs.MessageImprint({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sm3 }),
    hashedMessage: new asn1js.OctetString({ valueHex: createHash('sm3').update(data).digest() }),
  });
}

async function reasonOf(check: Promise<unknown>): Promise<string> {
  try {
    await check;
    return 'GRANTED';
  } catch (error) {
    if (error instanceof TimestampCheckError) return error.reason;
    throw error;
  }
}

describe(checkTimestampToken.name, () => {
  const cas: Partial<Record<KeyAlgorithm, TestCertificateAuthority>> = {};
  const ca = async (algorithm: KeyAlgorithm) =>
    (cas[algorithm] ??= await TestCertificateAuthority.create({
      commonName: `Token spec ${algorithm}`,
      keyAlgorithm: algorithm,
      notBefore: new Date(Date.now() - 30 * DAY),
    }));
  const tsaCert = async (
    algorithm: KeyAlgorithm,
    extra: Parameters<TestCertificateAuthority['issue']>[0] | object = {},
  ) =>
    (await ca(algorithm)).issue({ commonName: 'TSA', keyUsage: 0xc0, extendedKeyUsage: [OID.timeStamping], ...extra });
  const token = (tsa: IssuedIdentity, genTime = new Date()) =>
    signToken(tsa, { messageImprint: imprint(signature), genTime }, randomSerial());

  it.each(['SM2', 'RSA'] as KeyAlgorithm[])(
    'wants a critical EKU whose sole purpose is timeStamping (%s)',
    async (algorithm) => {
      const roots = [(await ca(algorithm)).root.cert];
      const check = (tsa: IssuedIdentity) =>
        reasonOf(checkTimestampToken(token(tsa), { data: signature, trustedRoots: roots }));
      expect(await check(await tsaCert(algorithm))).toBe('GRANTED');
      expect(await check(await tsaCert(algorithm, { extendedKeyUsage: undefined }))).toBe('NO_TIMESTAMPING_EKU');
      expect(await check(await tsaCert(algorithm, { extendedKeyUsage: [OID.timeStamping, '1.3.6.1.5.5.7.3.1'] }))).toBe(
        'NO_TIMESTAMPING_EKU',
      );
    },
  );

  it('checks the chain at genTime, so a TSA certificate that has since expired still verifies a stored token', async () => {
    const now = Date.now();
    const tsa = await tsaCert('SM2', { notBefore: new Date(now - 3 * DAY), notAfter: new Date(now - DAY) });
    const roots = [(await ca('SM2')).root.cert];
    const old = token(tsa, new Date(now - 2 * DAY));
    const stored = await checkTimestampToken(old, { data: signature, trustedRoots: roots });
    expect(stored.genTime.getTime()).toBe(Math.floor((now - 2 * DAY) / 1000) * 1000);
    expect(await reasonOf(checkTimestampToken(token(tsa), { data: signature, trustedRoots: roots }))).toBe('UNTRUSTED');
    expect(
      await reasonOf(
        checkTimestampToken(old, { data: signature, trustedRoots: roots, now: new Date(now), maxSkewSeconds: 60 }),
      ),
    ).toBe('SKEW');
  });

  it('refuses a token whose ESS signingCertificate names another certificate', async () => {
    const tsa = await tsaCert('RSA');
    const other = await tsaCert('RSA');
    // The other certificate's key signs, but the ESS attribute names the first: a swapped certificate.
    const swapped = signToken(
      { ...other, cert: tsa.cert },
      { messageImprint: imprint(signature), genTime: new Date() },
      randomSerial(),
    );
    expect(
      await reasonOf(checkTimestampToken(swapped, { data: signature, trustedRoots: [(await ca('RSA')).root.cert] })),
    ).toBe('BAD_SIGNATURE');
  });

  it('finds a certificate left out of the token among the given ones, and refuses when there is none', async () => {
    const tsa = await tsaCert('SM2');
    const roots = [(await ca('SM2')).root.cert];
    const bare = signToken(
      tsa,
      { messageImprint: imprint(signature), genTime: new Date(), includeCertificate: false },
      randomSerial(),
    );
    expect(await reasonOf(checkTimestampToken(bare, { data: signature, trustedRoots: roots }))).toBe('UNTRUSTED');
    expect(
      await reasonOf(
        checkTimestampToken(bare, { data: signature, trustedRoots: roots, extraCertificates: [tsa.cert] }),
      ),
    ).toBe('GRANTED');
  });

  it('calls anything but a TSTInfo SignedData a bad response', async () => {
    const roots = [(await ca('SM2')).root.cert];
    expect(await reasonOf(checkTimestampToken(Buffer.from('not der'), { data: signature, trustedRoots: roots }))).toBe(
      'BAD_RESPONSE',
    );
    expect(await reasonOf(checkTimestampToken(roots[0].der, { data: signature, trustedRoots: roots }))).toBe(
      'BAD_RESPONSE',
    );
    // A SignedData whose last field is not the SET of signer infos.
    const signedData = new asn1js.Sequence({
      value: [
        new asn1js.Integer({ value: 3 }),
        new asn1js.Set(),
        new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: TSP_OID.tstInfo })] }),
        new asn1js.Sequence(),
      ],
    });
    const contentInfo = new pkijs.ContentInfo({ contentType: OID.pkcs7SignedData, content: signedData });
    const malformed = Buffer.from(contentInfo.toSchema().toBER());
    expect(await reasonOf(checkTimestampToken(malformed, { data: signature, trustedRoots: roots }))).toBe(
      'BAD_RESPONSE',
    );
  });
});
