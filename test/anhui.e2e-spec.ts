import { setTimeout as sleep } from 'node:timers/promises';
import { Types } from 'mongoose';
import request from 'supertest';
import type { AnhuiSimulator } from '../src/simulators/anhui/anhui-simulator';
import { ANHUI_POLL_MS, AnhuiGateway, startAnhuiGateway } from './support/anhui-gateway';
import { collectSse } from './support/sse';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';
import { byHandle } from './support/handles';

const POLL_MS = ANHUI_POLL_MS;

// One person per UserCode (enrollment): each simulated nurse keeps her UserCode in every test.
const USER_CODES: Record<string, string> = { 'sm2-nurse': 'A001', 'rsa-nurse': 'A002' };

describe('Anhui mobile scan provider through the gateway', () => {
  let gateway: AnhuiGateway;
  let sim: AnhuiSimulator;
  let t: TestApp;

  beforeAll(async () => {
    gateway = await startAnhuiGateway({ CA_DEFAULT_PROVIDER: 'coss', ANHUI_TIMEOUT_MS: '500' });
    ({ sim, t } = gateway);
  });
  afterAll(() => gateway?.close());
  afterEach(() => sim.faults.clear());

  const start = (body: object = {}) =>
    request(t.http)
      .post('/coss/service/v1/startAutoSign')
      .send({ provider: 'anhui', timeRegion: 60, ...body });
  const result = (signDataId: string) => request(t.http).post('/coss/service/v1/getSignResult').send({ signDataId });
  const settle = (signDataId: string) =>
    waitFor(
      () => result(signDataId),
      (res) => res.status !== 200 || res.body.data.jobStatus !== 'UNSIGN',
    );

  async function login(user: string, userCode: string) {
    const started = await start({ userCode });
    expect(started.status).toBe(200);
    await sim.app.scan({ qr: started.body.data.qrCode, user });
    const done = await settle(started.body.data.signDataId);
    expect(done.body.data.jobStatus).toBe('FINISH');
    return { signDataId: started.body.data.signDataId as string, msspId: done.body.data.msspId as string, userCode };
  }

  it.each([
    ['sm2-nurse', 'SM2', 'A001'],
    ['rsa-nurse', 'RSA', 'A002'],
  ])('logs in %s (%s) by a verified PKCS#7 signature over a fresh challenge', async (user, algorithm, userCode) => {
    const started = await start({ userCode });
    const qr = JSON.parse(started.body.data.qrCode);
    expect(qr).toEqual({ guid: expect.any(String), url: sim.url, city: 'P3401000001' });
    expect(qr.guid).not.toBe(started.body.data.signDataId);
    expect(started.body.data.provider).toBe('anhui');
    await sim.app.scan({ qr: started.body.data.qrCode, user });
    const done = await settle(started.body.data.signDataId);
    expect(done.body.data).toMatchObject({
      jobStatus: 'FINISH',
      provider: 'anhui',
      userCode,
      msspId: expect.stringMatching(/^[\w-]{43}$/),
    });
    const stored = await t.connection.collection('caAuthorizations').findOne(byHandle(started.body.data.signDataId));
    expect(stored).toMatchObject({ provider: 'anhui', status: 'FINISH', certificate: { keyAlgorithm: algorithm } });
    expect(stored!.certificate.subject).toContain(`UID=${user}`);
    const image = await request(t.http).post('/coss/service/v1/queryImage').send({ userId: done.body.data.msspId });
    expect(image.status).toBe(200);
    expect(Buffer.from(image.body.data.image, 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it('issues a different challenge for every login', async () => {
    const a = (await start()).body.data.signDataId;
    const b = (await start()).body.data.signDataId;
    const [x, y] = await Promise.all(
      [a, b].map((signDataId) => t.connection.collection('caAuthorizations').findOne(byHandle(signDataId))),
    );
    expect(x!.challenge).not.toBe(y!.challenge);
  });

  it.each([
    ['a tampered PKCS#7', 'signature', 'BAD_SIGNATURE'],
    ['a signature over another challenge', 'other-challenge', 'CONTENT_MISMATCH'],
    ['a pubCert that did not sign', 'wrong-cert', undefined],
  ] as const)('never finishes a login with %s', async (_name, tamper, reason) => {
    const started = await start();
    await sim.app.scan({ qr: started.body.data.qrCode, user: 'sm2-nurse', tamper });
    await sleep(POLL_MS + 20);
    const res = await result(started.body.data.signDataId);
    expect(res.status).toBe(502);
    expect(res.body.error.type).toBe('SIGNATURE_REJECTED');
    if (reason) expect(res.body.error.reason).toBe(reason);
    expect(
      await t.connection.collection('caAuthorizations').findOne(byHandle(started.body.data.signDataId)),
    ).toMatchObject({ status: 'UNSIGN' });
  });

  it('answers REJECTED when the nurse cancels on her phone (status 3)', async () => {
    const started = await start();
    await sim.app.scan({ qr: started.body.data.qrCode, user: 'sm2-nurse', action: 'cancel' });
    expect((await settle(started.body.data.signDataId)).body.data.jobStatus).toBe('REJECTED');
  });

  it('answers EXPIRED when the QR code has expired', async () => {
    const started = await start();
    await t.connection
      .collection('caAuthorizations')
      .updateOne(byHandle(started.body.data.signDataId), { $set: { qrExpiresAt: new Date(Date.now() - 1) } });
    expect((await result(started.body.data.signDataId)).body.data.jobStatus).toBe('EXPIRED');
  });

  it('answers EXPIRED when the scan service says the QR code expired', async () => {
    const started = await start();
    sim.faults.add({ operation: '/getCaMessageResult', kind: 'error', invokeCode: 0, failMessage: '二维码已过期' });
    await sleep(POLL_MS + 20);
    expect((await result(started.body.data.signDataId)).body.data.jobStatus).toBe('EXPIRED');
  });

  it('renews the token once when the service answers 401, and keeps using it otherwise', async () => {
    const before = sim.requests('/grantToken').count;
    await start();
    await start();
    expect(sim.requests('/grantToken').count).toBe(before);
    sim.expireTokens();
    expect((await start()).status).toBe(200);
    expect(sim.requests('/grantToken').count).toBe(before + 1);
  });

  it('renews the token before its lifetime ends, without waiting for a 401', async () => {
    // Long enough that two logins fit inside 90 % of it on a loaded machine, short enough to wait for.
    const TOKEN_TTL_SECONDS = 4;
    const short = await startTestApp({
      ANHUI_SCAN_BASE_URL: sim.url,
      CA_PROVIDERS: 'anhui',
      ANHUI_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS),
    });
    try {
      sim.clearRequests();
      const before = sim.requests('/grantToken').count;
      const granted = Date.now();
      await request(short.http).post('/coss/service/v1/startAutoSign').send({ provider: 'anhui' });
      await request(short.http).post('/coss/service/v1/startAutoSign').send({ provider: 'anhui' });
      expect(sim.requests('/grantToken').count).toBe(before + 1);
      // The token is renewed at 90 % of its life: wait until just past that point, however long the two starts took.
      await sleep(Math.max(0, granted + TOKEN_TTL_SECONDS * 900 + 100 - Date.now()));
      const renewed = await request(short.http).post('/coss/service/v1/startAutoSign').send({ provider: 'anhui' });
      expect(renewed.status).toBe(200);
      expect(sim.requests('/grantToken').count).toBe(before + 2);
      expect(sim.requests('/initMessage').requests.filter((r) => r.invokeCode === 401)).toHaveLength(0);
    } finally {
      await short.close();
    }
  });

  it('maps a refusal to a typed 502 carrying failMessage, and a slow service to 504', async () => {
    sim.faults.add({ operation: '/initMessage', kind: 'error', invokeCode: 0, failMessage: '参数错误', times: 1 });
    const refused = await start();
    expect(refused.status).toBe(502);
    expect(refused.body.error).toMatchObject({
      type: 'VENDOR_REFUSED',
      vendor: 'anhui',
      operation: '/initMessage',
      vendorMessage: '参数错误',
    });
    sim.faults.add({ operation: '/initMessage', kind: 'timeout', delayMs: 1500, times: 1 });
    const slow = await start();
    expect(slow.status).toBe(504);
    expect(slow.body.error.type).toBe('VENDOR_TIMEOUT');
  });

  it.each([['sm2-nurse'], ['rsa-nurse']])(
    'signs a nursing document as %s: isSameCaUser, PENDING_SCAN, the app signs, a SIGNED record in caExtendedData',
    async (user) => {
      const nurse = await login(user, USER_CODES[user]);
      const same = await request(t.http)
        .post(`/WRMSMnis/doc/ca/isSameCaUser/${nurse.userCode}`)
        .send({ accessToken: nurse.msspId, signDataId: nurse.signDataId });
      expect(same.body.data).toBe(false);
      const docId = `AH-${user}-${Date.now()}`;
      const signed = await request(t.http)
        .post('/windranger/doc/ca/signDocWithCa')
        .send({
          caIdentityParamsMap: { accessToken: nurse.msspId, signDataId: nurse.signDataId },
          docData: { id: docId, pain: 2, note: '疼痛评估' },
          type: 'riskAssessment',
          userCode: nurse.userCode,
        });
      expect(signed.status).toBe(200);
      expect(signed.body.data).toMatchObject({
        docId,
        type: 'riskAssessment',
        status: 'PENDING_SCAN',
        qrImage: expect.stringMatching(/^data:image\/png/),
      });
      const { signDataId, qrCode, recordId } = signed.body.data;
      const guid = JSON.parse(qrCode).guid;
      expect(signDataId).toMatch(/^[\w-]{43}$/);
      expect(guid).not.toBe(signDataId);
      expect((await request(t.http).get(`/windranger/doc/riskAssessment/${docId}`)).status).toBe(404);

      const events = collectSse(`${await t.app.getUrl()}/coss/service/v1/signResult/${signDataId}/events`);
      await sleep(2 * POLL_MS);
      await sim.app.scan({ qr: qrCode, user });
      const stream = await events;
      const last = stream.events.filter((e) => e.event === 'status').at(-1)!.data as Record<string, unknown>;
      expect(last).toMatchObject({ signDataId, jobStatus: 'FINISH', recordId, docId });

      const record = await t.connection.collection('caExtendedData').findOne({ _id: new Types.ObjectId(recordId) });
      expect(record).toMatchObject({
        status: 'SIGNED',
        provider: 'anhui',
        signFormat: 'PKCS7_ATTACHED',
        signDataId: guid,
        verification: { valid: true },
        documentApplied: true,
      });
      const doc = await request(t.http).get(`/windranger/doc/riskAssessment/${docId}`);
      expect(doc.body.data).toMatchObject({ content: { pain: 2 }, signature: { status: 'SIGNED', recordId } });
      const verified = await request(t.http).post(`/windranger/doc/ca/records/${recordId}/verify`);
      expect(verified.body.data.valid).toBe(true);
    },
  );

  it("refuses a document signature made on another nurse's phone", async () => {
    const nurse = await login('sm2-nurse', 'A001');
    const signed = await request(t.http)
      .post('/windranger/doc/ca/signDocWithCa')
      .send({
        caIdentityParamsMap: { accessToken: nurse.msspId },
        docData: { id: `X-${Date.now()}` },
        type: 'document',
        userCode: 'A001',
      });
    await sim.app.scan({ qr: signed.body.data.qrCode, user: 'rsa-nurse' });
    const res = await waitFor(
      () => result(signed.body.data.signDataId),
      (r) => r.status !== 200 || r.body.data.jobStatus !== 'UNSIGN',
    );
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ type: 'SIGNATURE_REJECTED', reason: 'CERT_MISMATCH' });
    const after = await result(signed.body.data.signDataId);
    expect(after.body.data).toMatchObject({ jobStatus: 'FAILED', failure: { type: 'SIGNATURE_REJECTED' } });
    expect(await t.connection.collection('nursingDocuments').countDocuments({ docId: signed.body.data.docId })).toBe(0);
  });

  it('marks a document signing job REJECTED when the nurse cancels it', async () => {
    const nurse = await login('sm2-nurse', 'A001');
    const signed = await request(t.http)
      .post('/windranger/doc/ca/signDocWithCa')
      .send({
        caIdentityParamsMap: { accessToken: nurse.msspId },
        docData: { id: `Y-${Date.now()}` },
        type: 'document',
        userCode: 'A001',
      });
    await sim.app.scan({ qr: signed.body.data.qrCode, user: 'sm2-nurse', action: 'cancel' });
    const res = await settle(signed.body.data.signDataId);
    expect(res.body.data).toMatchObject({ jobStatus: 'REJECTED', recordId: signed.body.data.recordId });
  });
});
