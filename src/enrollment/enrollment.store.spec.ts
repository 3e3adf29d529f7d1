import { describeStore } from '../../test/support/store-database';
import { AuditLogStore } from '../evidence/audit/audit-log.store';
import { AuditOutboxDrain } from '../evidence/audit/audit-outbox.drain';
import { loadAuditConfig } from '../evidence/audit/audit.config';
import { verifyStoredChain } from '../evidence/audit/audit-verifier';
import { identityRef } from './enrollment-entry';
import { EnrollmentStore } from './enrollment.store';
import { CaEnrollment, CaEnrollmentSchema } from './schemas/ca-enrollment.schema';

describe(EnrollmentStore.name, () => {
  const spec = describeStore(CaEnrollment.name, CaEnrollmentSchema, (model, bus) => new EnrollmentStore(model, bus));
  const types = async () => (await spec.events.take()).map((event) => event.type);
  const login = { handleRef: 'abcd0123' };
  const admin = { apiKeyId: 'ops', address: '127.0.0.1', requestId: 'req-1' };
  const outboxOf = async (userCode: string) =>
    (await spec.model.find({ $or: [{ userCode }, { 'removed.userCode': userCode }] }).lean()).flatMap(
      (doc) => doc.auditOutbox ?? [],
    );

  it('enrollFirstUse enrolls a UserCode once; a second identity gets the first one back, with no event', async () => {
    const first = await spec.store.enrollFirstUse('coss', 'F001', 'id-a', login);
    expect(first).toMatchObject({ vendor: 'coss', userCode: 'F001', identity: 'id-a', source: 'first-use' });
    expect(await spec.events.take()).toEqual([
      expect.objectContaining({ type: 'EnrollmentCreated', vendor: 'coss', userCode: 'F001', source: 'first-use' }),
    ]);
    expect(await spec.store.enrollFirstUse('coss', 'F001', 'id-b', login)).toMatchObject({ identity: 'id-a' });
    expect(await types()).toEqual([]);
    expect((await outboxOf('F001')).map((item) => item.entry)).toEqual([
      expect.objectContaining({
        type: 'ENROLLMENT_CREATED',
        outcome: 'first-use',
        actor: login,
        subject: { userCode: 'F001', vendor: 'coss', identityRef: identityRef('id-a') },
      }),
    ]);
  });

  it('enrollFirstUse refuses an identity already enrolled for another UserCode of the vendor, not of another', async () => {
    await spec.store.enrollFirstUse('coss', 'F010', 'id-x', login);
    expect(await spec.store.enrollFirstUse('coss', 'F011', 'id-x', login)).toBeNull();
    expect(await spec.store.find('coss', 'F011')).toBeNull();
    expect(await spec.store.enrollFirstUse('anhui', 'F011', 'id-x', login)).toMatchObject({ vendor: 'anhui' });
    expect(await spec.store.enrollFirstUse('anhui', 'F010', 'id-y', login)).toMatchObject({ identity: 'id-y' });
  });

  it('put creates, then changes, an enrollment (events say which); 409 for an identity of another UserCode', async () => {
    await spec.store.put('coss', 'P001', 'id-p1', 'admin', admin);
    await spec.store.put('coss', 'P001', 'id-p2', 'import', admin);
    expect(await spec.store.find('coss', 'P001')).toMatchObject({ identity: 'id-p2', source: 'import' });
    expect(await types()).toEqual(['EnrollmentCreated', 'EnrollmentChanged']);
    await expect(spec.store.put('coss', 'P002', 'id-p2', 'admin', admin)).rejects.toMatchObject({
      httpStatus: 409,
      details: { field: 'identity' },
    });
    expect(await spec.store.find('coss', 'P002')).toBeNull();
    expect((await outboxOf('P001')).map(({ entry }) => [entry.type, entry.outcome, entry.requestId])).toEqual([
      ['ENROLLMENT_CREATED', 'admin', 'req-1'],
      ['ENROLLMENT_CHANGED', 'import', 'req-1'],
    ]);
  });

  it('remove deletes the enrollments of a UserCode, one vendor or all, with one event each', async () => {
    await spec.store.put('coss', 'R001', 'id-r-coss', 'admin', admin);
    await spec.store.put('anhui', 'R001', 'id-r-anhui', 'admin', admin);
    await spec.events.take();
    expect(await spec.store.remove('R001', admin, 'anhui')).toBe(1);
    expect(await spec.store.list({ userCode: 'R001' })).toEqual([expect.objectContaining({ vendor: 'coss' })]);
    expect(await spec.store.remove('R001', admin)).toBe(1);
    expect(await spec.store.remove('R001', admin)).toBe(0);
    expect(await types()).toEqual(['EnrollmentRemoved', 'EnrollmentRemoved']);
    expect(await spec.store.list({ userCode: 'R001' })).toEqual([]);
    // A removed enrollment frees its UserCode and identity at once, for the same or another UserCode.
    await spec.store.put('anhui', 'R002', 'id-r-anhui', 'admin', admin);
    expect(await spec.store.enrollFirstUse('coss', 'R001', 'id-r-coss', login)).toMatchObject({
      identity: 'id-r-coss',
    });
  });

  it('every change reaches the audit chain once, without the identity; tombstones go once drained', async () => {
    const chain = AuditLogStore.onConnection(spec.db.connection, loadAuditConfig({}));
    await chain.onModuleInit();
    const drain = new AuditOutboxDrain(chain);
    await drain.drain(spec.store.auditOutbox());
    const before = (await chain.head())?.seq ?? 0;

    const secret = 'COSS-USER-4711-permanent';
    await spec.store.enrollFirstUse('coss', 'A001', secret, login);
    await spec.store.put('coss', 'A001', `${secret}-renewed`, 'admin', admin);
    await spec.store.remove('A001', admin);
    // The process "dies" here: the changes are committed, their items wait in the documents.
    expect((await outboxOf('A001')).map((item) => item.entry.type)).toEqual([
      'ENROLLMENT_CREATED',
      'ENROLLMENT_CHANGED',
      'ENROLLMENT_REMOVED',
    ]);
    expect(await drain.drain(spec.store.auditOutbox())).toBe(3);
    expect(await drain.drain(spec.store.auditOutbox())).toBe(0);

    const entries = [];
    for await (const entry of chain.range(before + 1)) entries.push(entry);
    expect(entries).toMatchObject([
      { type: 'ENROLLMENT_CREATED', outcome: 'first-use', actor: login, subject: { userCode: 'A001', vendor: 'coss' } },
      { type: 'ENROLLMENT_CHANGED', outcome: 'admin', actor: { apiKeyId: 'ops', address: '127.0.0.1' } },
      { type: 'ENROLLMENT_REMOVED', outcome: 'REMOVED', subject: { identityRef: identityRef(`${secret}-renewed`) } },
    ]);
    expect(JSON.stringify(entries)).not.toContain(secret);
    expect(await spec.model.countDocuments({ 'removed.userCode': 'A001' })).toBe(0);
    expect(await verifyStoredChain(chain, { keys: loadAuditConfig({}).keys })).toMatchObject({ valid: true });
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
    // Two tombstones (no vendor, userCode or identity) never collide in the sparse indexes.
    const at = new Date();
    await spec.model.collection.insertMany([
      { source: 'admin', removed: { vendor: 'coss', userCode: 'U003', at } },
      { source: 'admin', removed: { vendor: 'coss', userCode: 'U004', at } },
    ]);
  });
});
