import { IssuedIdentity, TestCertificateAuthority } from '../../crypto/test-ca';
import { CrlRegistry, CrlStalePolicy } from './crl-registry';
import { CertRevokedError, CrlStaleError } from './crl.errors';

const DAY = 86_400_000;

describe(CrlRegistry.name, () => {
  let ca: TestCertificateAuthority;
  let nurse: IssuedIdentity;
  let other: IssuedIdentity;
  const revokedAt = new Date(Math.floor((Date.now() - DAY) / 1000) * 1000);

  beforeAll(async () => {
    ca = await TestCertificateAuthority.create({
      commonName: 'Registry CA',
      notBefore: new Date(Date.now() - 30 * DAY),
    });
    nurse = await ca.issue({ commonName: 'revoked nurse', serialNumber: '0BAD' });
    other = await ca.issue({ commonName: 'good nurse', serialNumber: '600D' });
  });

  const registry = (stalePolicy: CrlStalePolicy = 'warn', now = () => new Date()) =>
    new CrlRegistry({ trustedRoots: [ca.root.cert], stalePolicy, clock: now });

  it('says which certificates are revoked at a time, and names the CRL it used', () => {
    const crls = registry();
    expect(crls.isRevoked(nurse.cert)).toEqual({ status: 'NO_CRL' });
    const der = ca.issueCrl({ revoked: [{ serialNumber: '0BAD', revokedAt }], crlNumber: 4 });
    const { crl } = crls.add(der);
    expect(crl).toMatchObject({ issuer: 'CN=Registry CA', number: '4' });
    expect(crls.bytesOf(crl.sm3)).toEqual(der);

    expect(crls.isRevoked(nurse.cert)).toEqual({ status: 'REVOKED', crl, stale: false, revokedAt });
    expect(crls.isRevoked(other.cert)).toEqual({ status: 'GOOD', crl, stale: false });
    // Valid at a time before the revocation (a timestamped signature made then).
    expect(crls.isRevoked(nurse.cert, new Date(revokedAt.getTime() - DAY))).toEqual({
      status: 'GOOD',
      crl,
      stale: false,
      revokedLaterAt: revokedAt,
    });
  });

  it('refuses a revoked certificate with CERT_REVOKED and returns the CRL for a good one', () => {
    const crls = registry();
    const { crl } = crls.add(ca.issueCrl({ revoked: [{ serialNumber: '0BAD', revokedAt }] }));
    expect(() => crls.assertNotRevoked(nurse.cert)).toThrow(CertRevokedError);
    try {
      crls.assertNotRevoked(nurse.cert);
    } catch (error) {
      expect(error).toMatchObject({ type: 'CERT_REVOKED', httpStatus: 403, details: { serialNumber: '0BAD' } });
    }
    expect(crls.assertNotRevoked(other.cert)).toEqual(crl);
  });

  it('keeps the newest CRL of an issuer and refuses one whose signature fails', async () => {
    const crls = registry();
    crls.add(ca.issueCrl({ crlNumber: 5 }));
    expect(crls.add(ca.issueCrl({ crlNumber: 3, revoked: [{ serialNumber: '600D' }] })).replaced).toBe(false);
    expect(crls.isRevoked(other.cert).status).toBe('GOOD');
    expect(crls.add(ca.issueCrl({ crlNumber: 6, revoked: [{ serialNumber: '600D' }] })).replaced).toBe(true);
    expect(crls.isRevoked(other.cert).status).toBe('REVOKED');

    const impostor = await TestCertificateAuthority.create({ commonName: 'Registry CA' });
    expect(() => crls.add(impostor.issueCrl({ crlNumber: 99 }))).toThrow(/CRL of CN=Registry CA: NO_ISSUER/);
    expect(crls.loaded.map((c) => c.number)).toEqual(['6']);
  });

  it('applies CRL_STALE_POLICY past nextUpdate: warn uses it, refuse fails the check', () => {
    const later = () => new Date(Date.now() + 2 * DAY);
    const der = ca.issueCrl({ revoked: [{ serialNumber: '0BAD', revokedAt }], nextUpdate: new Date(Date.now() + DAY) });
    const warn = registry('warn', later);
    warn.add(der);
    expect(warn.isRevoked(other.cert)).toMatchObject({ status: 'GOOD', stale: true });
    const refuse = registry('refuse', later);
    refuse.add(der);
    expect(() => refuse.isRevoked(other.cert)).toThrow(CrlStaleError);
    expect(() => refuse.assertNotRevoked(nurse.cert)).toThrow(CrlStaleError);
    const fresh = registry('refuse');
    fresh.add(der);
    expect(fresh.isRevoked(other.cert)).toMatchObject({ status: 'GOOD', stale: false });
  });
});
