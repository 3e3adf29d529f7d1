import { describeStore } from '../../test/support/store-database';
import { EnrollmentStore } from './enrollment.store';
import { CaEnrollment, CaEnrollmentSchema } from './schemas/ca-enrollment.schema';

describe(EnrollmentStore.name, () => {
  const spec = describeStore(CaEnrollment.name, CaEnrollmentSchema, (model, bus) => new EnrollmentStore(model, bus));
  const types = async () => (await spec.events.take()).map((event) => event.type);

  it('enrollFirstUse enrolls a UserCode once; a second identity gets the first one back, with no event', async () => {
    const first = await spec.store.enrollFirstUse('coss', 'F001', 'id-a');
    expect(first).toMatchObject({ vendor: 'coss', userCode: 'F001', identity: 'id-a', source: 'first-use' });
    expect(await spec.events.take()).toEqual([
      expect.objectContaining({ type: 'EnrollmentCreated', vendor: 'coss', userCode: 'F001', source: 'first-use' }),
    ]);
    expect(await spec.store.enrollFirstUse('coss', 'F001', 'id-b')).toMatchObject({ identity: 'id-a' });
    expect(await types()).toEqual([]);
  });

  it('enrollFirstUse refuses an identity already enrolled for another UserCode of the vendor, not of another', async () => {
    await spec.store.enrollFirstUse('coss', 'F010', 'id-x');
    expect(await spec.store.enrollFirstUse('coss', 'F011', 'id-x')).toBeNull();
    expect(await spec.store.find('coss', 'F011')).toBeNull();
    expect(await spec.store.enrollFirstUse('anhui', 'F011', 'id-x')).toMatchObject({ vendor: 'anhui' });
    expect(await spec.store.enrollFirstUse('anhui', 'F010', 'id-y')).toMatchObject({ identity: 'id-y' });
  });

  it('put creates, then changes, an enrollment (events say which); 409 for an identity of another UserCode', async () => {
    await spec.store.put('coss', 'P001', 'id-p1', 'admin');
    await spec.store.put('coss', 'P001', 'id-p2', 'import');
    expect(await spec.store.find('coss', 'P001')).toMatchObject({ identity: 'id-p2', source: 'import' });
    expect(await types()).toEqual(['EnrollmentCreated', 'EnrollmentChanged']);
    await expect(spec.store.put('coss', 'P002', 'id-p2', 'admin')).rejects.toMatchObject({
      httpStatus: 409,
      details: { field: 'identity' },
    });
    expect(await spec.store.find('coss', 'P002')).toBeNull();
  });

  it('remove deletes the enrollments of a UserCode, one vendor or all, with one event each', async () => {
    await spec.store.put('coss', 'R001', 'id-r-coss', 'admin');
    await spec.store.put('anhui', 'R001', 'id-r-anhui', 'admin');
    await spec.events.take();
    expect(await spec.store.remove('R001', 'anhui')).toBe(1);
    expect(await spec.store.list({ userCode: 'R001' })).toEqual([expect.objectContaining({ vendor: 'coss' })]);
    expect(await spec.store.remove('R001')).toBe(1);
    expect(await spec.store.remove('R001')).toBe(0);
    expect(await types()).toEqual(['EnrollmentRemoved', 'EnrollmentRemoved']);
  });

  it('the unique indexes refuse a second (vendor, userCode) or (vendor, identity), where the engine enforces them', async () => {
    if (!spec.db.engine.capabilities.uniqueIndexes) {
      console.warn(`SKIPPED: ${spec.db.engine.kind} does not enforce unique indexes`);
      return;
    }
    await spec.model.create({ vendor: 'coss', userCode: 'U001', identity: 'id-u', source: 'admin' });
    await expect(
      spec.model.create({ vendor: 'coss', userCode: 'U001', identity: 'id-v', source: 'admin' }),
    ).rejects.toMatchObject({ code: 11000 });
    await expect(
      spec.model.create({ vendor: 'coss', userCode: 'U002', identity: 'id-u', source: 'admin' }),
    ).rejects.toMatchObject({ code: 11000 });
  });
});
