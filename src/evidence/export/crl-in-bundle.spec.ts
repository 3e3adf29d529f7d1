import { sm3Hex } from '../../crypto/sm3';
import { TestCertificateAuthority } from '../../crypto/test-ca';
import type { RevocationRef } from '../crl/revocation-ref.schema';
import { bundleCrl, crlLayout } from './crl-in-bundle';

describe(bundleCrl.name, () => {
  const check = (der: Buffer): RevocationRef => ({
    status: 'GOOD',
    checkedAt: new Date(),
    crl: { issuer: 'CN=Root', thisUpdate: new Date(), sm3: sm3Hex(der) },
  });

  it.each(['SM2', 'RSA'] as const)(
    'bundles a kept %s CRL as crl.der with its signed part and signature',
    async (alg) => {
      const ca = await TestCertificateAuthority.create({ commonName: `Root ${alg}`, keyAlgorithm: alg });
      const der = ca.issueCrl({ crlNumber: 1 });
      const { files, crl } = bundleCrl(check(der), der);
      expect(files).toEqual([{ name: 'crl.der', data: der }]);
      expect(crl).toMatchObject({ status: 'BUNDLED', layout: { signatureAlgorithm: alg } });
      const layout = crlLayout(der);
      expect(der[layout.tbs.offset]).toBe(0x30);
      expect(der[layout.signatureBitString]).toBe(0x03);
      expect(layout.tbs.offset + layout.tbs.length).toBeLessThan(layout.signatureBitString);
    },
  );

  it('leaves crl.der out when the kept bytes do not match the digest, or are not kept, or no CRL was used', async () => {
    const ca = await TestCertificateAuthority.create({ commonName: 'Root', keyAlgorithm: 'SM2' });
    const der = ca.issueCrl({ crlNumber: 1 });
    const altered = Buffer.from(der);
    altered[altered.length - 1] ^= 1;
    const kept = check(der);
    expect(bundleCrl(kept, altered)).toEqual({ files: [], crl: { status: 'MISMATCH', check: kept } });
    expect(bundleCrl(kept, undefined).crl.status).toBe('NOT_KEPT');
    expect(bundleCrl(undefined, der)).toEqual({ files: [], crl: { status: 'NONE' } });
  });
});
