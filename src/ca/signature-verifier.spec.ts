import { createSignedData, sm2Sign } from '../crypto';
import { TestCertificateAuthority } from '../crypto/test-ca';
import { SignatureVerifier } from './signature-verifier';

describe(SignatureVerifier.name, () => {
  const verifier = new SignatureVerifier({ sm2UserId: '1234567812345678' } as never);
  const data = Buffer.from('{"id":"DOC-1","temperature":36.8}');
  let ca: TestCertificateAuthority;
  let otherCa: TestCertificateAuthority;
  let nurse: Awaited<ReturnType<TestCertificateAuthority['issue']>>;
  let other: Awaited<ReturnType<TestCertificateAuthority['issue']>>;

  beforeAll(async () => {
    ca = await TestCertificateAuthority.create({ commonName: 'Spec SM2 CA' });
    otherCa = await TestCertificateAuthority.create({ commonName: 'Other CA' });
    nurse = await ca.issue({ commonName: 'N001' });
    other = await ca.issue({ commonName: 'N002' });
  });

  const sm2 = (signed: Buffer, by = nurse) => sm2Sign(signed, by.privateKeyHex!).toString('base64');
  const check = (
    signature: string,
    certificate = nurse.cert.der.toString('base64'),
    roots = [ca.root.cert],
    signedBytes = data,
  ) => verifier.check({ format: 'SM2_DER', signature, certificate, signedBytes, trustedRoots: roots });

  it('accepts a valid SM2 signature from a trusted, valid certificate', async () => {
    const result = await check(sm2(data));
    expect(result.valid).toBe(true);
  });

  it('refuses tampered data', async () => {
    expect(await check(sm2(data), undefined, undefined, Buffer.from('{"id":"DOC-1","temperature":39.8}'))).toEqual({
      valid: false,
      reason: 'BAD_SIGNATURE',
    });
  });

  it("refuses a signature checked against another nurse's certificate", async () => {
    expect(await check(sm2(data), other.cert.der.toString('base64'))).toEqual({
      valid: false,
      reason: 'BAD_SIGNATURE',
    });
  });

  it('refuses an expired or not yet valid certificate', async () => {
    const expired = await ca.issue({
      commonName: 'N003',
      notBefore: new Date(Date.now() - 2 * 86400_000),
      notAfter: new Date(Date.now() - 86400_000),
    });
    expect(await check(sm2(data, expired), expired.cert.der.toString('base64'))).toEqual({
      valid: false,
      reason: 'CERT_EXPIRED',
    });
    const future = await ca.issue({
      commonName: 'N004',
      notBefore: new Date(Date.now() + 86400_000),
      notAfter: new Date(Date.now() + 2 * 86400_000),
    });
    expect(await check(sm2(data, future), future.cert.der.toString('base64'))).toEqual({
      valid: false,
      reason: 'CERT_NOT_YET_VALID',
    });
  });

  it('refuses a certificate that does not chain to a configured root, and accepts it when no root is configured', async () => {
    const result = await check(sm2(data), undefined, [otherCa.root.cert]);
    expect(result.valid).toBe(false);
    expect((result as { reason: string }).reason).toMatch(/^UNTRUSTED/);
    expect((await check(sm2(data), undefined, [])).valid).toBe(true);
  });

  it('refuses a malformed certificate and garbage signatures without throwing', async () => {
    expect(await check(sm2(data), 'bm90IGEgY2VydA==')).toEqual({ valid: false, reason: 'CERT_MALFORMED' });
    expect((await check('AAAA')).valid).toBe(false);
  });

  it('checks PKCS#7 content against the expected bytes and the separately sent certificate', async () => {
    const p7 = (
      await createSignedData({ content: data, signerCert: nurse.cert, privateKey: nurse.privateKey })
    ).toString('base64');
    const pkcs7 = (signedBytes: Buffer, certificate?: string) =>
      verifier.check({
        format: 'PKCS7_ATTACHED',
        signature: p7,
        certificate,
        signedBytes,
        trustedRoots: [ca.root.cert],
      });
    expect((await pkcs7(data)).valid).toBe(true);
    expect(await pkcs7(Buffer.from('another challenge'))).toEqual({ valid: false, reason: 'CONTENT_MISMATCH' });
    expect(await pkcs7(data, other.cert.der.toString('base64'))).toEqual({
      valid: false,
      reason: 'SIGNER_IS_NOT_PUBCERT',
    });
  });

  it('require() throws SIGNATURE_REJECTED with the reason', async () => {
    await expect(
      verifier.require({
        format: 'SM2_DER',
        signature: sm2(Buffer.from('x')),
        certificate: nurse.cert.der.toString('base64'),
        signedBytes: data,
        trustedRoots: [],
      }),
    ).rejects.toMatchObject({ type: 'SIGNATURE_REJECTED', details: { reason: 'BAD_SIGNATURE' } });
  });
});
