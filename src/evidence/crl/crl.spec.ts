import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { CryptoError } from '../../crypto/errors';
import { hasOpenssl, openssl, opensslStatus, withTmpDir } from '../../crypto/openssl-cli.testing';
import { toPem } from '../../crypto/pem';
import { sm3Hex } from '../../crypto/sm3';
import { TestCertificateAuthority } from '../../crypto/test-ca';
import { parseCrl, verifyCrl } from './crl';

describe(parseCrl.name, () => {
  let sm2Ca: TestCertificateAuthority;
  let rsaCa: TestCertificateAuthority;

  beforeAll(async () => {
    sm2Ca = await TestCertificateAuthority.create({ commonName: 'CRL spec SM2 CA', organization: 'MNIS' });
    rsaCa = await TestCertificateAuthority.create({ commonName: 'CRL spec RSA CA', keyAlgorithm: 'RSA' });
  });

  it.each(['SM2', 'RSA'])('reads and verifies a %s CRL from the test CA', (algorithm) => {
    const ca = algorithm === 'SM2' ? sm2Ca : rsaCa;
    const revokedAt = new Date('2026-01-02T03:04:05Z');
    const thisUpdate = new Date('2026-11-01T00:00:00Z');
    const der = ca.issueCrl({ revoked: [{ serialNumber: '0A1B', revokedAt }], crlNumber: 300, thisUpdate });
    const crl = parseCrl(der);
    expect(crl).toMatchObject({ issuer: ca.root.cert.subject, number: '300', thisUpdate, sm3: sm3Hex(der) });
    expect(crl.revoked.get('0A1B')).toEqual(revokedAt);
    expect(parseCrl(Buffer.from(toPem(der, 'X509 CRL'))).sm3).toBe(crl.sm3);
    expect(verifyCrl(crl, [ca.root.cert])).toEqual({ valid: true, issuer: ca.root.cert });

    const other = algorithm === 'SM2' ? rsaCa : sm2Ca;
    expect(verifyCrl(crl, [other.root.cert])).toEqual({ valid: false, reason: 'NO_ISSUER' });
    const tampered = Buffer.from(der);
    tampered[der.indexOf(Buffer.from([0x0a, 0x1b]))] ^= 1;
    expect(verifyCrl(parseCrl(tampered), [ca.root.cert])).toEqual({ valid: false, reason: 'BAD_SIGNATURE' });
  });

  it('refuses a root of the same name that is not the signer, and bytes that are no CRL', async () => {
    const impostor = await TestCertificateAuthority.create({ commonName: 'CRL spec SM2 CA', organization: 'MNIS' });
    expect(verifyCrl(parseCrl(sm2Ca.issueCrl()), [impostor.root.cert]).valid).toBe(false);
    expect(() => parseCrl(sm2Ca.root.cert.der)).toThrow(CryptoError);
    expect(() => parseCrl(Buffer.from('hello'))).toThrow(/neither a DER CRL/);
  });

  (hasOpenssl ? it : it.skip)(
    'makes CRLs that OpenSSL verifies: `openssl crl -CAfile` (RSA), `dgst -sm3 -sigopt distid` (SM2)',
    () =>
      withTmpDir((dir) => {
        for (const [name, ca] of [
          ['rsa', rsaCa],
          ['sm2', sm2Ca],
        ] as const) {
          writeFileSync(join(dir, `${name}.crl`), ca.issueCrl({ revoked: [{ serialNumber: '0A1B' }], crlNumber: 7 }));
          writeFileSync(join(dir, `${name}-root.pem`), toPem(ca.root.cert.der, 'CERTIFICATE'));
          const text = openssl(['crl', '-inform', 'DER', '-in', `${name}.crl`, '-noout', '-text'], dir).toString();
          expect(text).toContain('Serial Number: 0A1B');
          expect(text).toMatch(/X509v3 CRL Number:\s+7/);
        }
        const rsa = opensslStatus(
          ['crl', '-inform', 'DER', '-in', 'rsa.crl', '-CAfile', 'rsa-root.pem', '-noout'],
          dir,
        );
        expect(rsa.output).toContain('verify OK');

        // `openssl crl` has no distid option, so the SM2 signature is checked over the TBS that asn1parse locates.
        const der = readFileSync(join(dir, 'sm2.crl'));
        const lines = openssl(['asn1parse', '-inform', 'DER', '-in', 'sm2.crl'], dir).toString().split('\n');
        const top = lines.flatMap((line) => {
          const m = /^\s*(\d+):d=1\s+hl=(\d+)\s+l=\s*(\d+)/.exec(line);
          return m ? [{ offset: +m[1], end: +m[1] + +m[2] + +m[3] }] : [];
        });
        const [tbs, , signature] = top;
        writeFileSync(join(dir, 'sm2-tbs.der'), der.subarray(tbs.offset, tbs.end));
        openssl(
          [
            'asn1parse',
            '-inform',
            'DER',
            '-in',
            'sm2.crl',
            '-strparse',
            `${signature.offset}`,
            '-noout',
            '-out',
            'sm2-sig.der',
          ],
          dir,
        );
        openssl(['x509', '-in', 'sm2-root.pem', '-pubkey', '-noout', '-out', 'sm2-pub.pem'], dir);
        const sm2 = opensslStatus(
          [
            'dgst',
            '-sm3',
            '-verify',
            'sm2-pub.pem',
            '-sigopt',
            'distid:1234567812345678',
            '-signature',
            'sm2-sig.der',
            'sm2-tbs.der',
          ],
          dir,
        );
        expect(sm2.output).toContain('Verified OK');
      }),
  );
});
