import request from 'supertest';
import { CossSimulator } from '../../src/simulators/coss/coss-simulator';
import { AuditVerifier } from '../../src/evidence/audit/audit-verifier';
import { AnhuiGateway, startAnhuiGateway } from '../support/anhui-gateway';
import { LoggedInNurse, loginWithCoss } from '../support/coss-login';
import { byHandle } from '../support/handles';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

const ADMIN_KEY = 'enrollment-admin-key-0123456789';
const API_KEYS = JSON.stringify([{ id: 'enroll-admin', key: ADMIN_KEY, scopes: ['admin'] }]);
const POLL_MS = 100;

/** The gateway under test, with helpers for the PC's calls and the administrator's. */
function gateway(get: () => TestApp) {
  const http = () => request(get().http);
  const bearer = { authorization: `Bearer ${ADMIN_KEY}` };
  return {
    start: (body: object) =>
      http()
        .post('/coss/service/v1/startAutoSign')
        .send({ timeRegion: 60, ...body }),
    result: (signDataId: string) => http().post('/coss/service/v1/getSignResult').send({ signDataId }),
    settled: (signDataId: string) =>
      waitFor(
        () => http().post('/coss/service/v1/getSignResult').send({ signDataId }),
        (res) => res.status !== 200 || res.body.data?.jobStatus !== 'UNSIGN',
      ),
    isSame: (userCode: string, nurse: Pick<LoggedInNurse, 'msspId' | 'signDataId'>) =>
      http()
        .post(`/WRMSMnis/doc/ca/isSameCaUser/${userCode}`)
        .send({ accessToken: nurse.msspId, signDataId: nurse.signDataId }),
    sign: (userCode: string, nurse: Pick<LoggedInNurse, 'msspId' | 'signDataId'>, id: string) =>
      http()
        .post('/windranger/doc/ca/signDocWithCa')
        .send({
          caIdentityParamsMap: { accessToken: nurse.msspId, signDataId: nurse.signDataId },
          docData: { id, note: 'enrollment' },
          type: 'document',
          userCode,
        }),
    document: (id: string) => http().get(`/windranger/doc/document/${id}`).set(bearer),
    list: (query: string) => http().get(`/admin/enrollments?${query}`).set(bearer),
    anonymous: () => http().put('/admin/enrollments/N030').send({ vendor: 'coss', identity: 'EVIL' }),
    put: (userCode: string, body: object) => http().put(`/admin/enrollments/${userCode}`).set(bearer).send(body),
    remove: (path: string) => http().delete(`/admin/enrollments/${path}`).set(bearer),
    import: (body: unknown) =>
      http()
        .post('/admin/enrollments/import')
        .set(bearer)
        .send(body as object),
  };
}

/** A COSS login whose QR code is scanned by `scanner`'s phone rather than the nurse's. */
async function scannedBy(g: ReturnType<typeof gateway>, sim: CossSimulator, body: object, scanner: string) {
  const started = await g.start(body);
  expect(started.status).toBe(200);
  await sim.phone.scan(started.body.data.qrCode, scanner, 'approve');
  return { signDataId: started.body.data.signDataId as string, settled: await g.settled(started.body.data.signDataId) };
}

/** The COSS simulator and a gateway on it with `env`, started before the describe block's tests and stopped after. */
function cossGateway(env: Record<string, string> = {}): { sim: CossSimulator; t: TestApp } {
  const ctx = {} as { sim: CossSimulator; t: TestApp };
  beforeAll(async () => {
    ctx.sim = await CossSimulator.start({ port: 0 });
    ctx.t = await startTestApp({
      COSS_BASE_URL: ctx.sim.url,
      CA_PROVIDERS: 'coss',
      CA_POLL_INTERVAL_MS: String(POLL_MS),
      API_KEYS,
      ...env,
    });
  });
  afterAll(async () => {
    await ctx.t.close();
    await ctx.sim.stop();
  });
  return ctx;
}

const ENROLLMENT_TYPES = ['ENROLLMENT_CREATED', 'ENROLLMENT_CHANGED', 'ENROLLMENT_REMOVED'];

describe('row 6 under CA_ENROLLMENT=first-use: a UserCode already enrolled stays its nurse’s (COSS)', () => {
  const ctx = cossGateway();
  const g = gateway(() => ctx.t);
  const vendorUserId = async (code: string) => (await ctx.sim.nurses.get(code)).msspId;
  const auditOf = (userCode: string, count: number) =>
    waitFor(
      () =>
        ctx.t.connection
          .collection('caAuditLog')
          // Logins and signatures of the nurse are in the chain too; these are the enrollment's own entries.
          .find({ 'subject.userCode': userCode, type: { $in: ENROLLMENT_TYPES } })
          .sort({ seq: 1 })
          .toArray(),
      (entries) => entries.length >= count,
    );

  it('N030’s first login enrolls her (source first-use); a login started as N030 and scanned by another phone ends REJECTED IDENTITY_MISMATCH', async () => {
    const nurse = await loginWithCoss(ctx.t, ctx.sim, 'N030');
    const identity = await vendorUserId('N030');
    const listed = await g.list('userCode=N030');
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      expect.objectContaining({ vendor: 'coss', userCode: 'N030', source: 'first-use', identity }),
    ]);
    expect(await auditOf('N030', 1)).toEqual([
      expect.objectContaining({ type: 'ENROLLMENT_CREATED', outcome: 'first-use', subject: expect.anything() }),
    ]);

    const attack = await scannedBy(g, ctx.sim, { userCode: 'N030' }, 'EVIL01');
    expect(attack.settled.status).toBe(200);
    expect(attack.settled.body.data).toMatchObject({ jobStatus: 'REJECTED', reason: 'IDENTITY_MISMATCH' });
    expect(attack.settled.body.data.msspId).toBeUndefined();
    expect(attack.settled.body.data.signCert).toBeUndefined();
    const stored = await ctx.t.connection.collection('caAuthorizations').findOne(byHandle(attack.signDataId));
    expect(stored).toMatchObject({ status: 'REJECTED', rejectReason: 'IDENTITY_MISMATCH' });
    expect((await g.list('userCode=N030')).body.data).toEqual([expect.objectContaining({ identity })]);

    const signed = await g.sign('N030', nurse, 'ENR-OWN-1');
    expect(signed.status).toBe(200);
    expect(signed.body.data).toMatchObject({ status: 'SIGNED' });
    const own = await ctx.t.connection.collection('caAuthorizations').findOne(byHandle(nurse.signDataId));
    const n030Records = await ctx.t.connection.collection('caExtendedData').find({ userCode: 'N030' }).toArray();
    expect(n030Records.map((r) => [r.certSubject, r.certSerial])).toEqual([
      [own!.certificate.subject, own!.certificate.serialNumber],
    ]);
  });

  it('another identity binding an unbound login to N030: isSameCaUser true, signDocWithCa 403 IDENTITY_MISMATCH, no document', async () => {
    await loginWithCoss(ctx.t, ctx.sim, 'N031');
    const attack = await scannedBy(g, ctx.sim, {}, 'EVIL02');
    expect(attack.settled.body.data.jobStatus).toBe('FINISH');
    const evil = { msspId: attack.settled.body.data.msspId as string, signDataId: attack.signDataId };

    const same = await g.isSame('N031', evil);
    expect(same.status).toBe(200);
    expect(same.body.data).toBe(true);
    const signed = await g.sign('N031', evil, 'ENR-ATK-1');
    expect(signed.status).toBe(403);
    expect(signed.body.error).toMatchObject({ type: 'IDENTITY_MISMATCH' });
    expect((await g.document('ENR-ATK-1')).status).toBe(404);
    expect(await ctx.t.connection.collection('caExtendedData').countDocuments({ docId: 'ENR-ATK-1' })).toBe(0);
  });

  it('an identity enrolled for one UserCode cannot enroll a second one of the same vendor', async () => {
    await loginWithCoss(ctx.t, ctx.sim, 'N032');
    const attack = await scannedBy(g, ctx.sim, { userCode: 'N033' }, 'N032');
    expect(attack.settled.body.data).toMatchObject({ jobStatus: 'REJECTED', reason: 'IDENTITY_MISMATCH' });
    expect((await g.list('userCode=N033')).body.data).toEqual([]);
  });

  it('an administrator’s re-enrollment takes effect on open authorizations, and removal lets the next login enroll', async () => {
    const nurse = await loginWithCoss(ctx.t, ctx.sim, 'N034');
    const other = await vendorUserId('N035');
    const changed = await g.put('N034', { vendor: 'coss', identity: other });
    expect(changed.status).toBe(200);
    expect(changed.body.data).toMatchObject({ userCode: 'N034', identity: other, source: 'admin' });
    expect((await g.isSame('N034', nurse)).body.data).toBe(true);
    expect((await g.sign('N034', nurse, 'ENR-ADM-1')).status).toBe(403);

    const removed = await g.remove('N034?vendor=coss');
    expect(removed.body.data).toEqual({ userCode: 'N034', removed: 1 });
    expect((await g.isSame('N034', nurse)).body.data).toBe(false);
    expect((await g.list('userCode=N034')).body.data).toEqual([
      expect.objectContaining({ identity: await vendorUserId('N034'), source: 'first-use' }),
    ]);
  });

  it('every enrollment change is in the audit chain (actor: the API key or the login; no identity), and the chain verifies', async () => {
    const entries = await auditOf('N034', 4);
    expect(entries.map((e) => [e.type, e.outcome])).toEqual([
      ['ENROLLMENT_CREATED', 'first-use'],
      ['ENROLLMENT_CHANGED', 'admin'],
      ['ENROLLMENT_REMOVED', 'REMOVED'],
      ['ENROLLMENT_CREATED', 'first-use'],
    ]);
    expect(entries[0].actor).toEqual({ handleRef: expect.stringMatching(/^[0-9a-f]{8}$/) });
    expect(entries[1]).toMatchObject({
      actor: { apiKeyId: 'enroll-admin', address: '127.0.0.1' },
      subject: { userCode: 'N034', vendor: 'coss', identityRef: expect.stringMatching(/^[0-9a-f]{16}$/) },
      requestId: expect.any(String),
    });
    const text = JSON.stringify(entries);
    for (const code of ['N034', 'N035']) expect(text).not.toContain(await vendorUserId(code));
    expect(await ctx.t.connection.collection('caEnrollments').countDocuments({ removed: { $exists: true } })).toBe(0);
    expect(await ctx.t.app.get(AuditVerifier).verify()).toMatchObject({ valid: true, macsChecked: true });
  });

  it('admin routes need an admin key, validate their input and name the field', async () => {
    const anonymous = await g.anonymous();
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.type).toBe('API_KEY_REQUIRED');
    const bad = await g.put('N036', { vendor: 'nope', identity: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([expect.objectContaining({ field: 'vendor' })]);
    const noIdentity = await g.put('N036', { vendor: 'coss' });
    expect(noIdentity.status).toBe(400);
    expect(noIdentity.body.error.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'identity' })]),
    );
    const badCode = await g.put('N 036', { vendor: 'coss', identity: 'x' });
    expect(badCode.status).toBe(400);
    expect((await g.list('vendor=$ne')).status).toBe(400);
    expect((await g.remove('N099')).status).toBe(404);

    const taken = await g.put('N036', { vendor: 'coss', identity: await vendorUserId('N030') });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ type: 'CONFLICT', field: 'identity' });

    expect((await g.import({ userCode: 'N1' })).status).toBe(400);
    const badItem = await g.import([
      { userCode: 'N040', vendor: 'coss', identity: 'a' },
      { userCode: 'N041', vendor: 'coss' },
    ]);
    expect(badItem.status).toBe(400);
    expect(badItem.body.error.fields).toEqual([expect.objectContaining({ field: '[1].identity' })]);
    const twice = await g.import([
      { userCode: 'N040', vendor: 'coss', identity: 'a' },
      { userCode: 'N041', vendor: 'coss', identity: 'a' },
    ]);
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ type: 'CONFLICT', field: '[1]' });
    expect((await g.list('userCode=N040')).body.data).toEqual([]);
    const tooMany = Array.from({ length: 201 }, (_, i) => ({ userCode: `M${i}`, vendor: 'coss', identity: `m${i}` }));
    expect((await g.import(tooMany)).body.error.fields).toEqual([expect.objectContaining({ field: 'body' })]);

    // The same item twice (a staff list exported twice) is one enrollment, not a contradiction.
    const repeated = await g.import([
      { userCode: 'N040', vendor: 'coss', identity: 'a' },
      { userCode: 'N040', vendor: 'coss', identity: 'a' },
    ]);
    expect(repeated.status).toBe(201);
    expect(repeated.body.data).toEqual({ imported: 1 });
    expect((await g.list('userCode=N040')).body.data).toEqual([expect.objectContaining({ identity: 'a' })]);
  });
});

describe('row 6 under CA_ENROLLMENT=preenrolled: only identities an administrator registered (COSS)', () => {
  const ctx = cossGateway({ CA_ENROLLMENT: 'preenrolled' });
  const g = gateway(() => ctx.t);

  it('a UserCode that never logged in and is not enrolled: whoever scans, the login ends REJECTED IDENTITY_MISMATCH', async () => {
    const attack = await scannedBy(g, ctx.sim, { userCode: 'N030' }, 'EVIL01');
    expect(attack.settled.body.data).toMatchObject({ jobStatus: 'REJECTED', reason: 'IDENTITY_MISMATCH' });
    const own = await scannedBy(g, ctx.sim, { userCode: 'N030' }, 'N030');
    expect(own.settled.body.data).toMatchObject({ jobStatus: 'REJECTED', reason: 'IDENTITY_MISMATCH' });
    expect((await g.list('userCode=N030')).body.data).toEqual([]);
  });

  it('after the staff-list import, the nurse logs in and signs; another phone is REJECTED and cannot sign as her', async () => {
    const [n030, n031] = await Promise.all([ctx.sim.nurses.get('N030'), ctx.sim.nurses.get('N031')]);
    const imported = await g.import([
      { userCode: 'N030', vendor: 'coss', identity: n030.msspId },
      { userCode: 'N031', vendor: 'coss', identity: n031.msspId },
    ]);
    expect(imported.status).toBe(201);
    expect(imported.body.data).toEqual({ imported: 2 });
    expect((await g.list('vendor=coss')).body.data).toEqual([
      expect.objectContaining({ userCode: 'N030', source: 'import' }),
      expect.objectContaining({ userCode: 'N031', source: 'import' }),
    ]);

    const nurse = await loginWithCoss(ctx.t, ctx.sim, 'N030');
    expect((await g.sign('N030', nurse, 'PRE-OWN-1')).body.data).toMatchObject({ status: 'SIGNED' });

    const attack = await scannedBy(g, ctx.sim, { userCode: 'N030' }, 'N031');
    expect(attack.settled.body.data).toMatchObject({ jobStatus: 'REJECTED', reason: 'IDENTITY_MISMATCH' });
    const unbound = await scannedBy(g, ctx.sim, {}, 'EVIL03');
    const evil = { msspId: unbound.settled.body.data.msspId as string, signDataId: unbound.signDataId };
    expect((await g.isSame('N030', evil)).body.data).toBe(true);
    const signed = await g.sign('N030', evil, 'PRE-ATK-1');
    expect(signed.status).toBe(403);
    expect(signed.body.error.type).toBe('IDENTITY_MISMATCH');
    const doc = await g.document('PRE-OWN-1');
    expect(doc.body.data.signature).toMatchObject({ status: 'SIGNED' });
    expect((await g.document('PRE-ATK-1')).status).toBe(404);
  });
});

describe('row 6 for Anhui: the identity is the certificate subject (every attribute) under its issuer', () => {
  let anhui: AnhuiGateway;
  const g = gateway(() => anhui.t);

  beforeAll(async () => {
    anhui = await startAnhuiGateway({ CA_PROVIDERS: 'anhui', API_KEYS });
  });
  afterAll(() => anhui.close());

  async function anhuiLogin(userCode: string, user: string) {
    const started = await g.start({ provider: 'anhui', userCode });
    await anhui.sim.app.scan({ qr: started.body.data.qrCode, user });
    return g.settled(started.body.data.signDataId);
  }

  it('enrolls sm2-nurse’s subject and issuer on first use, and refuses rsa-nurse’s certificate for the same UserCode', async () => {
    const first = await anhuiLogin('A030', 'sm2-nurse');
    expect(first.body.data.jobStatus).toBe('FINISH');
    const stored = await anhui.t.connection
      .collection('caAuthorizations')
      .findOne(byHandle(first.body.data.signDataId));
    const [enrollment] = (await g.list('userCode=A030&vendor=anhui')).body.data;
    expect(enrollment).toMatchObject({
      source: 'first-use',
      identity: `${stored!.certificate.subject} | issuer: ${stored!.certificate.issuer}`,
    });
    expect(enrollment.identity).toMatch(/CN=/);

    const again = await anhuiLogin('A030', 'sm2-nurse');
    expect(again.body.data.jobStatus).toBe('FINISH');
    const attack = await anhuiLogin('A030', 'rsa-nurse');
    expect(attack.body.data).toMatchObject({ jobStatus: 'REJECTED', reason: 'IDENTITY_MISMATCH' });
  });
});
