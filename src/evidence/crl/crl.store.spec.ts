import { describeStore } from '../../../test/support/store-database';
import { TestCertificateAuthority } from '../../crypto/test-ca';
import { parseCrl } from './crl';
import { CaCrl, CaCrlSchema } from './ca-crl.schema';
import { CrlStore } from './crl.store';

describe(CrlStore.name, () => {
  const spec = describeStore(CaCrl.name, CaCrlSchema, (model) => new CrlStore(model));
  let ca: TestCertificateAuthority;

  beforeAll(async () => {
    ca = await TestCertificateAuthority.create({ commonName: 'Store CA' });
  });

  it('keeps the bytes of a CRL once per digest, with its issuer, number and dates, and reads them back', async () => {
    const crl = parseCrl(ca.issueCrl({ crlNumber: 12 }));
    expect(await spec.store.bytesOf(crl.sm3)).toBeUndefined();
    await Promise.all([spec.store.keep(crl), spec.store.keep(crl), new CrlStore(spec.model).keep(crl)]);
    await spec.store.keep(crl);
    expect(await spec.model.countDocuments({ sm3: crl.sm3 })).toBe(1);
    expect(await spec.store.bytesOf(crl.sm3)).toEqual(crl.der);
    const kept = await spec.model.findOne({ sm3: crl.sm3 }).lean().exec();
    expect(kept).toMatchObject({
      issuer: 'CN=Store CA',
      number: '12',
      thisUpdate: crl.thisUpdate,
      nextUpdate: crl.nextUpdate,
      keptAt: expect.any(Date),
    });
  });

  it('never rewrites a kept CRL: a second keep of the same digest leaves the first copy', async () => {
    const crl = parseCrl(ca.issueCrl({ crlNumber: 13 }));
    await spec.store.keep(crl);
    const first = await spec.model.findOne({ sm3: crl.sm3 }).lean().exec();
    await new CrlStore(spec.model).keep(crl);
    expect(await spec.model.findOne({ sm3: crl.sm3 }).lean().exec()).toEqual(first);
  });
});
