import { KeyObject } from 'crypto';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parseCertificate } from './certificate';
import { hasOpenssl, openssl, opensslStatus, withTmpDirAsync } from './openssl-cli.testing';
import { toPem } from './pem';
import { createSignedData, verifySignedData } from './pkcs7';
import { parseSignedData } from './pkcs7-parse';
import { IssuedIdentity, TestCertificateAuthority } from './test-ca';

const content = Buffer.from('challenge-7f3a9c 登录');

function flipAt(buf: Buffer, needle: Buffer, offsetFromNeedleEnd = 1): Buffer {
  const copy = Buffer.from(buf);
  const at = copy.indexOf(needle);
  if (at < 0) throw new Error('needle not found');
  copy[at + needle.length - offsetFromNeedleEnd] ^= 0x01;
  return copy;
}

describe(createSignedData.name, () => {
  let sm2Ca: TestCertificateAuthority;
  let rsaCa: TestCertificateAuthority;
  let sm2User: IssuedIdentity;
  let rsaUser: IssuedIdentity;

  beforeAll(async () => {
    [sm2Ca, rsaCa] = await Promise.all([
      TestCertificateAuthority.create({ commonName: 'P7 SM2 CA' }),
      TestCertificateAuthority.create({ commonName: 'P7 RSA CA', keyAlgorithm: 'RSA' }),
    ]);
    [sm2User, rsaUser] = await Promise.all([
      sm2Ca.issue({ commonName: 'sm2 nurse' }),
      rsaCa.issue({ commonName: 'rsa nurse' }),
    ]);
  });

  it('uses PKCS#7 OIDs, SM3 and SM2-with-SM3 for an SM2 signer by default', async () => {
    const p7 = await createSignedData({ content, signerCert: sm2User.cert, privateKey: sm2User.privateKey });
    const parsed = parseSignedData(p7);
    expect(parsed.oidFamily).toBe('pkcs7');
    expect(parsed.eContentType).toBe('1.2.840.113549.1.7.1');
    expect(parsed.content).toEqual(content);
    expect(parsed.certificates).toEqual([sm2User.cert.der]);
    expect(parsed.signers[0]).toMatchObject({
      digestAlgorithmOid: '1.2.156.10197.1.401',
      signatureAlgorithmOid: '1.2.156.10197.1.501',
    });
    expect(p7.subarray(4, 15).toString('hex')).toBe('06092a864886f70d010702');
  });

  it('uses the GM/T 0010 OIDs and the SM2 signature OID for the gmt0010 family', async () => {
    const p7 = await createSignedData({
      content,
      signerCert: sm2User.cert,
      privateKey: sm2User.privateKey,
      oidFamily: 'gmt0010',
    });
    const parsed = parseSignedData(p7);
    expect(parsed.oidFamily).toBe('gmt0010');
    expect(parsed.eContentType).toBe('1.2.156.10197.6.1.4.2.1');
    expect(parsed.signers[0].signatureAlgorithmOid).toBe('1.2.156.10197.1.301.1');
  });

  it('uses SHA-256 and rsaEncryption for an RSA signer; can omit attributes and the certificate', async () => {
    const p7 = await createSignedData({
      content,
      signerCert: rsaUser.cert,
      privateKey: rsaUser.privateKey,
      withSignedAttributes: false,
      includeCertificate: false,
    });
    const parsed = parseSignedData(p7);
    expect(parsed.signers[0]).toMatchObject({
      digestAlgorithmOid: '2.16.840.1.101.3.4.2.1',
      signatureAlgorithmOid: '1.2.840.113549.1.1.1',
    });
    expect(parsed.signers[0].signedAttributes).toBeUndefined();
    expect(parsed.certificates).toEqual([]);
  });

  it('refuses a private key that does not belong to the certificate', async () => {
    const other = await sm2Ca.issue({ commonName: 'other' });
    await expect(
      createSignedData({ content, signerCert: sm2User.cert, privateKey: other.privateKey }),
    ).rejects.toMatchObject({ code: 'KEY_MISMATCH' });
    await expect(
      createSignedData({ content, signerCert: rsaUser.cert, privateKey: other.privateKey }),
    ).rejects.toThrow();
    await expect(
      createSignedData({ content, signerCert: sm2User.cert, privateKey: rsaUser.privateKey }),
    ).rejects.toMatchObject({ code: 'INVALID_KEY' });
  });

  (hasOpenssl ? it : it.skip)(
    'writes RSA SignedData that OpenSSL verifies, and SM2 SignedData OpenSSL accepts structurally',
    async () => {
      const rsaP7 = await createSignedData({ content, signerCert: rsaUser.cert, privateKey: rsaUser.privateKey });
      const rsaP7NoAttributes = await createSignedData({
        content,
        signerCert: rsaUser.cert,
        privateKey: rsaUser.privateKey,
        withSignedAttributes: false,
      });
      // OpenSSL computes SM2 Z values with an empty ID, so only an empty-ID signature checks out there.
      const sm2P7 = await createSignedData({
        content,
        signerCert: sm2User.cert,
        privateKey: sm2User.privateKey,
        userId: '',
      });
      await withTmpDirAsync(async (dir) => {
        writeFileSync(join(dir, 'rsa.p7'), rsaP7);
        writeFileSync(join(dir, 'rsa-noattr.p7'), rsaP7NoAttributes);
        writeFileSync(join(dir, 'sm2.p7'), sm2P7);
        writeFileSync(join(dir, 'root.pem'), toPem(rsaCa.root.cert.der, 'CERTIFICATE'));
        const cms = (file: string, ...trust: string[]): Buffer =>
          openssl(['cms', '-verify', '-inform', 'DER', '-in', file, '-binary', ...trust], dir);
        expect(cms('rsa.p7', '-noverify')).toEqual(content);
        expect(cms('rsa.p7', '-CAfile', 'root.pem')).toEqual(content);
        expect(cms('rsa-noattr.p7', '-CAfile', 'root.pem')).toEqual(content);
        expect(cms('sm2.p7', '-noverify')).toEqual(content);
        // DER, not just BER: OpenSSL's re-encoding reproduces the bytes.
        expect(openssl(['cms', '-cmsout', '-inform', 'DER', '-in', 'rsa.p7', '-outform', 'DER'], dir)).toEqual(rsaP7);
      });
    },
  );
});

describe(verifySignedData.name, () => {
  let sm2Ca: TestCertificateAuthority;
  let rsaCa: TestCertificateAuthority;
  let strangerCa: TestCertificateAuthority;
  let sm2User: IssuedIdentity;
  let rsaUser: IssuedIdentity;
  let sm2P7: Buffer;
  let rsaP7: Buffer;

  beforeAll(async () => {
    [sm2Ca, rsaCa, strangerCa] = await Promise.all([
      TestCertificateAuthority.create({ commonName: 'V SM2 CA' }),
      TestCertificateAuthority.create({ commonName: 'V RSA CA', keyAlgorithm: 'RSA' }),
      TestCertificateAuthority.create({ commonName: 'V SM2 CA' }),
    ]);
    [sm2User, rsaUser] = await Promise.all([
      sm2Ca.issue({ commonName: 'sm2 nurse' }),
      rsaCa.issue({ commonName: 'rsa nurse' }),
    ]);
    sm2P7 = await createSignedData({ content, signerCert: sm2User.cert, privateKey: sm2User.privateKey });
    rsaP7 = await createSignedData({ content, signerCert: rsaUser.cert, privateKey: rsaUser.privateKey });
  });

  it('accepts SM2 SignedData with PKCS#7 OIDs and reports content, signer and family', async () => {
    const result = await verifySignedData(sm2P7, { trustedRoots: [sm2Ca.root.cert], expectedContent: content });
    expect(result).toEqual({ valid: true, content, signer: sm2User.cert, algorithm: 'SM2', oidFamily: 'pkcs7' });
  });

  it('accepts SM2 SignedData with GM/T 0010 OIDs, with and without signed attributes', async () => {
    for (const withSignedAttributes of [true, false]) {
      const p7 = await createSignedData({
        content,
        signerCert: sm2User.cert,
        privateKey: sm2User.privateKey,
        oidFamily: 'gmt0010',
        withSignedAttributes,
      });
      const result = await verifySignedData(p7, { trustedRoots: [sm2Ca.root.cert] });
      expect(result).toMatchObject({ valid: true, algorithm: 'SM2', oidFamily: 'gmt0010' });
    }
  });

  it('accepts RSA SignedData, as DER, base64 or PEM', async () => {
    for (const input of [rsaP7, rsaP7.toString('base64'), toPem(rsaP7, 'PKCS7')]) {
      expect(await verifySignedData(input, { trustedRoots: [rsaCa.root.cert] })).toMatchObject({
        valid: true,
        algorithm: 'RSA',
        oidFamily: 'pkcs7',
      });
    }
  });

  it('reports DIGEST_MISMATCH for tampered content and BAD_SIGNATURE for a tampered signature', async () => {
    for (const p7 of [sm2P7, rsaP7]) {
      expect(await verifySignedData(flipAt(p7, content))).toMatchObject({ valid: false, reason: 'DIGEST_MISMATCH' });
      const { signature } = parseSignedData(p7).signers[0];
      expect(await verifySignedData(flipAt(p7, signature))).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
    }
  });

  it('reports BAD_SIGNATURE for tampered content without signed attributes', async () => {
    const p7 = await createSignedData({
      content,
      signerCert: sm2User.cert,
      privateKey: sm2User.privateKey,
      withSignedAttributes: false,
    });
    expect((await verifySignedData(p7)).valid).toBe(true);
    expect(await verifySignedData(flipAt(p7, content))).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
  });

  it('reports CONTENT_MISMATCH when the content is not the expected challenge', async () => {
    const result = await verifySignedData(sm2P7, { expectedContent: Buffer.from('another challenge') });
    expect(result).toMatchObject({ valid: false, reason: 'CONTENT_MISMATCH' });
    expect(result.content).toBeUndefined();
  });

  it('reports UNTRUSTED when the signer does not chain to a trusted root', async () => {
    expect(await verifySignedData(sm2P7, { trustedRoots: [strangerCa.root.cert] })).toMatchObject({
      valid: false,
      reason: 'UNTRUSTED',
      signer: sm2User.cert,
    });
    expect(await verifySignedData(sm2P7, { trustedRoots: [rsaCa.root.cert] })).toMatchObject({
      valid: false,
      reason: 'UNTRUSTED',
    });
    expect((await verifySignedData(sm2P7, { trustedRoots: [] })).valid).toBe(true);
  });

  it('reports CERT_EXPIRED and CERT_NOT_YET_VALID from the signer validity at `at`', async () => {
    const year = 365 * 86_400_000;
    expect(await verifySignedData(sm2P7, { at: new Date(Date.now() + 2 * year) })).toMatchObject({
      valid: false,
      reason: 'CERT_EXPIRED',
    });
    expect(await verifySignedData(sm2P7, { at: new Date(Date.now() - year) })).toMatchObject({
      valid: false,
      reason: 'CERT_NOT_YET_VALID',
    });
  });

  it('uses externalSignerCert when the SignedData carries no certificate, else reports NO_SIGNER_CERT', async () => {
    const bare = await createSignedData({
      content,
      signerCert: sm2User.cert,
      privateKey: sm2User.privateKey,
      includeCertificate: false,
    });
    expect(await verifySignedData(bare)).toEqual({ valid: false, reason: 'NO_SIGNER_CERT', oidFamily: 'pkcs7' });
    const external = parseCertificate(sm2User.cert.der.toString('base64'));
    expect(
      await verifySignedData(bare, { externalSignerCert: external, trustedRoots: [sm2Ca.root.cert] }),
    ).toMatchObject({ valid: true, signer: sm2User.cert });
    const impostor = await sm2Ca.issue({ commonName: 'sm2 nurse' });
    expect(await verifySignedData(bare, { externalSignerCert: impostor.cert })).toMatchObject({
      valid: false,
      reason: 'BAD_SIGNATURE',
    });
  });

  it('binds the SM2 user ID', async () => {
    const p7 = await createSignedData({
      content,
      signerCert: sm2User.cert,
      privateKey: sm2User.privateKey,
      userId: 'nurse@ward-3',
    });
    expect(await verifySignedData(p7)).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
    expect(await verifySignedData(p7, { userId: 'nurse@ward-3' })).toMatchObject({ valid: true });
  });

  it('reports UNSUPPORTED_ALGORITHM for a signature algorithm the signer key cannot do', async () => {
    const rsaEncryption = Buffer.from('06092a864886f70d0101010500', 'hex');
    const pss = Buffer.from('06092a864886f70d01010a0500', 'hex');
    const at = rsaP7.lastIndexOf(rsaEncryption);
    const p7 = Buffer.concat([rsaP7.subarray(0, at), pss, rsaP7.subarray(at + pss.length)]);
    expect(await verifySignedData(p7)).toMatchObject({
      valid: false,
      reason: 'UNSUPPORTED_ALGORITHM',
      algorithm: 'RSA',
    });
  });

  it('never throws: garbage becomes MALFORMED', async () => {
    const nested = Buffer.from(Array.from({ length: 2000 }, (_, i) => (i % 2 ? 0x80 : 0x30)));
    const inputs: unknown[] = [
      '',
      'not base64 at all!',
      Buffer.alloc(0),
      Buffer.from([0x30, 0x82, 0xff, 0xff]),
      sm2P7.subarray(0, sm2P7.length - 10),
      Buffer.concat([sm2P7, Buffer.from([0])]),
      sm2User.cert.der,
      nested,
      '-----BEGIN PKCS7-----\n!!\n-----END PKCS7-----',
      undefined,
      null,
      42,
    ];
    for (const input of inputs) {
      expect(await verifySignedData(input as Buffer)).toEqual({ valid: false, reason: 'MALFORMED' });
    }
    const brokenRoot = { ...sm2Ca.root.cert, der: Buffer.from('x') };
    expect(await verifySignedData(sm2P7, { trustedRoots: [brokenRoot] })).toMatchObject({
      valid: false,
      reason: 'UNTRUSTED',
    });
  });

  (hasOpenssl ? it : it.skip)(
    'verifies RSA SignedData made by openssl cms -sign (attached, streamed BER, detached, no attributes)',
    async () => {
      await withTmpDirAsync(async (dir) => {
        openssl(
          [
            'req',
            '-x509',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-keyout',
            'key.pem',
            '-out',
            'cert.pem',
            '-subj',
            '/O=OpenSSL Vendor/CN=Signer',
            '-days',
            '2',
          ],
          dir,
        );
        writeFileSync(join(dir, 'msg.bin'), content);
        const sign = (out: string, ...extra: string[]): Buffer => {
          openssl(
            [
              'cms',
              '-sign',
              '-binary',
              '-outform',
              'DER',
              '-in',
              'msg.bin',
              '-signer',
              'cert.pem',
              '-inkey',
              'key.pem',
              '-out',
              out,
              ...extra,
            ],
            dir,
          );
          return readFileSync(join(dir, out));
        };
        const root = parseCertificate(readFileSync(join(dir, 'cert.pem'), 'utf8'));

        const attached = sign('attached.p7', '-nodetach');
        const expected = { valid: true, content, signer: root, algorithm: 'RSA', oidFamily: 'pkcs7' };
        expect(await verifySignedData(attached, { trustedRoots: [root], expectedContent: content })).toEqual(expected);
        expect(await verifySignedData(flipAt(attached, content))).toMatchObject({
          valid: false,
          reason: 'DIGEST_MISMATCH',
        });
        expect(await verifySignedData(attached, { trustedRoots: [sm2Ca.root.cert] })).toMatchObject({
          valid: false,
          reason: 'UNTRUSTED',
        });

        const streamed = sign('streamed.p7', '-nodetach', '-stream');
        expect(streamed[1]).toBe(0x80);
        expect(await verifySignedData(streamed, { trustedRoots: [root] })).toEqual(expected);

        expect(await verifySignedData(sign('noattr.p7', '-nodetach', '-noattr'), { trustedRoots: [root] })).toEqual(
          expected,
        );

        const detached = sign('detached.p7');
        expect(await verifySignedData(detached)).toEqual({ valid: false, reason: 'MALFORMED', oidFamily: 'pkcs7' });
        expect(await verifySignedData(detached, { detachedContent: content, trustedRoots: [root] })).toEqual({
          ...expected,
          content: undefined,
        });
        expect(await verifySignedData(detached, { detachedContent: Buffer.from('x') })).toMatchObject({
          valid: false,
          reason: 'DIGEST_MISMATCH',
        });

        expect(
          opensslStatus(
            ['cms', '-verify', '-inform', 'DER', '-in', 'attached.p7', '-CAfile', 'cert.pem', '-binary'],
            dir,
          ).ok,
        ).toBe(true);
      });
    },
  );

  it('treats a KeyObject and a PEM string RSA key alike when signing', async () => {
    const pem = (rsaUser.privateKey as KeyObject).export({ type: 'pkcs8', format: 'pem' }).toString();
    const p7 = await createSignedData({ content, signerCert: rsaUser.cert, privateKey: pem });
    expect((await verifySignedData(p7)).valid).toBe(true);
  });
});
