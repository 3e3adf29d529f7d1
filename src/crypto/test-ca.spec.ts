import { writeFileSync } from 'fs';
import { join } from 'path';
import { certificateInternals } from './certificate';
import { verifyChain } from './certificate-chain';
import { DEFAULT_SM2_USER_ID } from './constants';
import { hasOpenssl, openssl, opensslStatus, withTmpDir } from './openssl-cli.testing';
import { toPem } from './pem';
import { sm2Sign, sm2Verify } from './sm2';
import { TestCertificateAuthority } from './test-ca';

describe(TestCertificateAuthority.name, () => {
  let sm2Ca: TestCertificateAuthority;
  let rsaCa: TestCertificateAuthority;

  beforeAll(async () => {
    sm2Ca = await TestCertificateAuthority.create({
      commonName: 'MNIS Test SM2 CA',
      organization: 'MNIS',
      validDays: 30,
    });
    rsaCa = await TestCertificateAuthority.create({ commonName: 'MNIS Test RSA CA', keyAlgorithm: 'RSA' });
  });

  it('creates a self-signed CA root', () => {
    const root = sm2Ca.root.cert;
    expect(root.subject).toBe('CN=MNIS Test SM2 CA, O=MNIS');
    expect(root.issuer).toBe(root.subject);
    expect(certificateInternals(root).isCa).toBe(true);
    expect(root.notAfter.getTime() - Date.now()).toBeLessThanOrEqual(30 * 86_400_000);
    expect(sm2Ca.root.privateKeyHex).toBe(sm2Ca.root.privateKey);
    expect(rsaCa.root.keyAlgorithm).toBe('RSA');
    expect(typeof rsaCa.root.privateKey).toBe('object');
  });

  it('issues end-entity certificates that chain to the root and carry the requested fields', async () => {
    const user = await sm2Ca.issue({
      commonName: '王护士',
      organization: 'MNIS',
      serialNumber: '1A2B3C',
      extraSubject: { C: 'CN', OU: 'ICU', SERIALNUMBER: '110101199001011234' },
    });
    expect(user.cert.subject).toBe('CN=王护士, SERIALNUMBER=110101199001011234, OU=ICU, O=MNIS, C=CN');
    expect(user.cert.serialNumber).toBe('1A2B3C');
    expect(certificateInternals(user.cert).isCa).toBe(false);
    expect(verifyChain(user.cert, [sm2Ca.root.cert])).toEqual({ valid: true });
    const signature = sm2Sign(Buffer.from('x'), user.privateKeyHex as string);
    expect(sm2Verify(Buffer.from('x'), signature, user.cert.publicKeyHex as string)).toBe(true);

    const rsaUser = await rsaCa.issue({ commonName: 'rsa nurse' });
    expect(rsaUser.keyAlgorithm).toBe('RSA');
    expect(verifyChain(rsaUser.cert, [rsaCa.root.cert])).toEqual({ valid: true });
    expect(verifyChain(rsaUser.cert, [sm2Ca.root.cert]).valid).toBe(false);
  });

  it('honours notBefore and notAfter', async () => {
    const notBefore = new Date('2020-01-01T00:00:00Z');
    const notAfter = new Date('2021-01-01T00:00:00Z');
    const user = await sm2Ca.issue({ commonName: 'old', notBefore, notAfter });
    expect([user.cert.notBefore, user.cert.notAfter]).toEqual([notBefore, notAfter]);
    expect(verifyChain(user.cert, [sm2Ca.root.cert]).reason).toBe('EXPIRED');
  });

  (hasOpenssl ? it : it.skip)('produces certificates OpenSSL parses and verifies (SM2 with distid, RSA)', async () => {
    const sm2User = await sm2Ca.issue({ commonName: '赵护士', keyAlgorithm: 'SM2' });
    const rsaUnderSm2 = await sm2Ca.issue({ commonName: 'rsa under sm2', keyAlgorithm: 'RSA' });
    const rsaUser = await rsaCa.issue({ commonName: 'rsa nurse' });
    withTmpDir((dir) => {
      const write = (file: string, der: Buffer): void => writeFileSync(join(dir, file), toPem(der, 'CERTIFICATE'));
      write('sm2-root.pem', sm2Ca.root.cert.der);
      write('sm2-user.pem', sm2User.cert.der);
      write('rsa-under-sm2.pem', rsaUnderSm2.cert.der);
      write('rsa-root.pem', rsaCa.root.cert.der);
      write('rsa-user.pem', rsaUser.cert.der);

      const text = openssl(['x509', '-in', 'sm2-user.pem', '-noout', '-text'], dir).toString();
      expect(text).toContain('Signature Algorithm: SM2-with-SM3');
      expect(text).toContain('CA:FALSE');
      expect(openssl(['x509', '-in', 'sm2-root.pem', '-noout', '-text'], dir).toString()).toContain('CA:TRUE');
      expect(openssl(['x509', '-in', 'rsa-user.pem', '-noout', '-text'], dir).toString()).toContain(
        'sha256WithRSAEncryption',
      );

      const distid = ['-vfyopt', `distid:${DEFAULT_SM2_USER_ID}`];
      for (const leaf of ['sm2-user.pem', 'rsa-under-sm2.pem', 'sm2-root.pem']) {
        const result = opensslStatus(['verify', '-CAfile', 'sm2-root.pem', ...distid, leaf], dir);
        expect(result).toEqual({ ok: true, output: expect.stringContaining(': OK') });
      }
      // Without the user ID OpenSSL computes a different Z, which proves the ID is bound into the signature.
      expect(opensslStatus(['verify', '-CAfile', 'sm2-root.pem', 'sm2-user.pem'], dir).ok).toBe(false);
      expect(opensslStatus(['verify', '-CAfile', 'rsa-root.pem', 'rsa-user.pem'], dir).ok).toBe(true);
      expect(opensslStatus(['verify', '-CAfile', 'rsa-root.pem', 'sm2-user.pem'], dir).ok).toBe(false);
    });
  });
});
