import { describeStore } from '../../../test/support/store-database';
import { IssuedIdentity, TestCertificateAuthority } from '../../crypto/test-ca';
import { CaCrl, CaCrlSchema } from './ca-crl.schema';
import { CrlRegistry, CrlStalePolicy } from './crl-registry';
import { CertRevokedError, CrlStaleError } from './crl.errors';
import { CrlStore } from './crl.store';
import { Revocation } from './revocation.service';

const DAY = 86_400_000;
const seconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

describe(Revocation.name, () => {
  const spec = describeStore(CaCrl.name, CaCrlSchema, (model) => new CrlStore(model));
  let ca: TestCertificateAuthority;
  let nurse: IssuedIdentity;

  beforeAll(async () => {
    ca = await TestCertificateAuthority.create({ commonName: 'Revocation CA', notBefore: new Date(Date.now() - DAY) });
    nurse = await ca.issue({ commonName: 'nurse', serialNumber: '5E' });
  });

  const revocation = (stalePolicy: CrlStalePolicy = 'warn') => {
    const registry = new CrlRegistry({ trustedRoots: [ca.root.cert], stalePolicy });
    return { registry, revocation: new Revocation(registry, spec.store) };
  };

  it('require: nothing without a CRL of the issuer; GOOD with the CRL kept before it is named; revoked refused', async () => {
    const { registry, revocation: checks } = revocation();
    expect(await checks.require(nurse.cert)).toBeUndefined();
    const good = ca.issueCrl({ crlNumber: 1 });
    const { crl } = registry.add(good);
    expect(await checks.require(nurse.cert)).toEqual({ status: 'GOOD', checkedAt: expect.any(Date), crl });
    expect(await spec.store.bytesOf(crl.sm3)).toEqual(good);

    const revoked = ca.issueCrl({ crlNumber: 2, revoked: [{ serialNumber: '5E' }] });
    const second = registry.add(revoked).crl;
    await expect(checks.require(nurse.cert)).rejects.toThrow(CertRevokedError);
    expect(await spec.store.bytesOf(second.sm3)).toEqual(revoked);
  });

  it('require on a stale CRL: warn notes it on what the record keeps, refuse throws CRL_STALE', async () => {
    const stale = ca.issueCrl({
      crlNumber: 3,
      thisUpdate: new Date(Date.now() - 2 * DAY),
      nextUpdate: new Date(Date.now() - DAY),
    });
    const warn = revocation('warn');
    warn.registry.add(stale);
    expect(await warn.revocation.require(nurse.cert)).toMatchObject({
      status: 'GOOD',
      stale: true,
      note: expect.stringContaining('past its nextUpdate'),
    });
    const refuse = revocation('refuse');
    refuse.registry.add(stale);
    await expect(refuse.revocation.require(nurse.cert)).rejects.toThrow(CrlStaleError);
  });

  it('at: revoked at or before the instant is REVOKED, after it GOOD with a note; the newer CRL answers', async () => {
    const signedAt = seconds(Date.now() - 60_000);
    const { registry, revocation: checks } = revocation();
    const kept = registry.add(ca.issueCrl({ crlNumber: 10 })).crl;
    await checks.require(nurse.cert);
    expect(await checks.at(nurse.cert, signedAt, kept, [ca.root.cert])).toEqual({
      status: 'GOOD',
      crl: kept,
      notes: [],
    });

    const later = seconds(signedAt.getTime() + 30_000);
    const newer = registry.add(ca.issueCrl({ crlNumber: 11, revoked: [{ serialNumber: '5E', revokedAt: later }] })).crl;
    expect(await checks.at(nurse.cert, signedAt, kept, [ca.root.cert])).toEqual({
      status: 'GOOD',
      crl: newer,
      revokedAt: later,
      notes: [expect.stringContaining(`revoked at ${later.toISOString()}`)],
    });
    expect(await checks.at(nurse.cert, later, kept, [ca.root.cert])).toMatchObject({
      status: 'REVOKED',
      revokedAt: later,
    });

    // A fresh gateway (no CRL loaded) answers from the kept CRL alone, checked again against the roots.
    const fresh = revocation().revocation;
    expect(await fresh.at(nurse.cert, signedAt, newer, [ca.root.cert])).toMatchObject({ status: 'GOOD', crl: newer });
    expect(await fresh.at(nurse.cert, signedAt, newer, [])).toEqual({
      status: 'NOT_CHECKED',
      notes: [expect.stringContaining('does not verify (NO_ISSUER)')],
    });
    expect(await fresh.at(nurse.cert, signedAt, undefined, [ca.root.cert])).toEqual({
      status: 'NOT_CHECKED',
      notes: [],
    });
  });
});
