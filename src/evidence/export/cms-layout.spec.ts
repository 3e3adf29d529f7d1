import { createHash } from 'node:crypto';
import { createSignedData, sm3 } from '../../crypto';
import { TestCertificateAuthority } from '../../crypto/test-ca';
import { signerLayout, tstInfoImprint } from './cms-layout';

describe(signerLayout.name, () => {
  const content = Buffer.from('{"v":2}');

  it.each(['SM2', 'RSA'] as const)(
    'finds the %s signer’s signed attributes, messageDigest and signature',
    async (alg) => {
      const ca = await TestCertificateAuthority.create({ commonName: `Root ${alg}`, keyAlgorithm: alg });
      const nurse = await ca.issue({ commonName: 'nurse' });
      const p7 = await createSignedData({ content, signerCert: nurse.cert, privateKey: nurse.privateKey });
      const layout = signerLayout(p7);
      expect(layout).toMatchObject({ signatureAlgorithm: alg, digest: alg === 'SM2' ? 'sm3' : 'sha256' });

      const attrs = layout.signedAttributesAfterTag!;
      expect(p7[attrs.offset - 1]).toBe(0xa0);
      const md = layout.messageDigest!;
      const digest = p7.subarray(md.offset, md.offset + md.length);
      expect(digest.equals(alg === 'SM2' ? sm3(content) : createHash('sha256').update(content).digest())).toBe(true);
      expect(md.offset).toBeGreaterThan(attrs.offset);
      expect(md.offset + md.length).toBeLessThanOrEqual(attrs.offset + attrs.length);
      expect(p7[layout.signatureOctetString]).toBe(0x04);
      expect(layout.content).toEqual({ offset: p7.indexOf(content), length: content.length });
    },
  );

  it('has no signed attributes range for a signature over the content itself', async () => {
    const ca = await TestCertificateAuthority.create({ commonName: 'Root', keyAlgorithm: 'SM2' });
    const nurse = await ca.issue({ commonName: 'nurse' });
    const p7 = await createSignedData({
      content,
      signerCert: nurse.cert,
      privateKey: nurse.privateKey,
      withSignedAttributes: false,
    });
    expect(signerLayout(p7).signedAttributesAfterTag).toBeUndefined();
    expect(signerLayout(p7).messageDigest).toBeUndefined();
  });

  it('refuses what is not a SignedData', () => {
    expect(() => signerLayout(Buffer.from('3003020101', 'hex'))).toThrow();
  });
});

describe(tstInfoImprint.name, () => {
  it('finds the hashedMessage of a TSTInfo', () => {
    // TSTInfo { version 1, policy 1.2.3, messageImprint { sm3, 32 bytes } , … } cut after the imprint.
    const hash = Buffer.alloc(32, 0xab);
    const imprint = Buffer.concat([Buffer.from('302e300a06082a811ccf550183110420', 'hex'), hash]);
    const body = Buffer.concat([Buffer.from('020101' + '06022a03', 'hex'), imprint]);
    const tst = Buffer.concat([Buffer.from([0x30, body.length]), body]);
    const range = tstInfoImprint(tst);
    expect(tst.subarray(range.offset, range.offset + range.length).equals(hash)).toBe(true);
  });
});
