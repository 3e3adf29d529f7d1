import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { CossSimulator } from '../../src/simulators/coss/coss-simulator';
import { loginWithCoss, LoggedInNurse } from '../support/coss-login';
import { byHandle } from '../support/handles';
import { logLines } from '../support/log-lines';
import { collectSse } from '../support/sse';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

const POLL_MS = 100;

/** Issue 9, the per-login secrets: each describe is one row of the attack table, tried as an attacker would. */
describe('Per-login secrets (COSS)', () => {
  let sim: CossSimulator;
  let t: TestApp;
  const logs = logLines();

  beforeAll(async () => {
    sim = await CossSimulator.start({ port: 0 });
    t = await startTestApp(
      { COSS_BASE_URL: sim.url, CA_PROVIDERS: 'coss', CA_POLL_INTERVAL_MS: String(POLL_MS), LOG_LEVEL: 'trace' },
      { logStream: logs.stream },
    );
  });
  afterAll(async () => {
    await t.close();
    await sim.stop();
  });

  const authorizations = () => t.connection.collection('caAuthorizations');
  const start = (body: object = {}) =>
    request(t.http)
      .post('/coss/service/v1/startAutoSign')
      .send({ userId: '', timeRegion: 60, ...body });
  const result = (signDataId: string) => request(t.http).post('/coss/service/v1/getSignResult').send({ signDataId });
  const isSame = (userCode: string, body: object) =>
    request(t.http).post(`/WRMSMnis/doc/ca/isSameCaUser/${userCode}`).send(body);
  const sign = (accessToken: string, id: string, extra: object = {}) =>
    request(t.http)
      .post('/windranger/doc/ca/signDocWithCa')
      .send({ caIdentityParamsMap: { accessToken }, docData: { id }, type: 'riskAssessment', ...extra });
  const vendorUserIdOf = async (nurse: LoggedInNurse) =>
    (await authorizations().findOne(byHandle(nurse.signDataId)))!.msspId as string;
  /** What the QR code on the nurse's screen tells whoever reads it. */
  const qrJobId = (qrCode: string) => (JSON.parse(qrCode) as { o: string }).o;
  /** The answer to an id nobody was given, without its request id. */
  const unknownAnswer = async () => withoutRequestId((await result('a-random-string-nobody-was-given')).body);
  const withoutRequestId = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });

  describe('row 1: the QR content opens nothing', () => {
    it('getSignResult and SSE with the QR job id get the 404 of a random string, before and after FINISH', async () => {
      const started = (await start({ userCode: 'S001' })).body.data;
      const fromQr = qrJobId(started.qrCode);
      expect(started.signDataId).toMatch(/^[\w-]{32}$/);
      expect(started.qrCode).not.toContain(started.signDataId);
      expect(started.qrImage).not.toContain(started.signDataId);

      const probe = await result(fromQr);
      expect(probe.status).toBe(404);
      expect(withoutRequestId(probe.body)).toEqual(await unknownAnswer());

      await sim.phone.scan(started.qrCode, 'S001', 'approve');
      const done = await waitFor(
        () => result(started.signDataId),
        (res) => res.body.data?.jobStatus !== 'UNSIGN',
      );
      expect(done.body.data).toMatchObject({ jobStatus: 'FINISH', msspId: expect.stringMatching(/^[\w-]{43}$/) });
      const after = await result(fromQr);
      expect(after.status).toBe(404);
      expect(withoutRequestId(after.body)).toEqual(await unknownAnswer());
      const sse = await request(t.http).get(`/coss/service/v1/signResult/${fromQr}/events`);
      expect(sse.status).toBe(404);
      expect(JSON.stringify(sse.body)).not.toContain('msspId');
    });
  });

  describe('row 1a: a credential read off the screen or the records does not sign', () => {
    it('signDocWithCa with the QR job id or the vendor user id as accessToken is 401 UNKNOWN, with the token 200', async () => {
      const nurse = await loginWithCoss(t, sim, 'S002');
      const vendorUserId = await vendorUserIdOf(nurse);
      for (const stolen of [vendorUserId, nurse.signDataId]) {
        const res = await sign(stolen, `ATK-4-${stolen.length}`);
        expect(res.status).toBe(401);
        expect(res.body.error).toMatchObject({ type: 'RESCAN_REQUIRED', reason: 'UNKNOWN' });
      }
      expect(await t.connection.collection('caExtendedData').countDocuments({ docId: /^ATK-4/ })).toBe(0);
      const own = await sign(nurse.msspId, 'OWN-1', { userCode: 'S002' });
      expect(own.status).toBe(200);
      expect(own.body.data.status).toBe('SIGNED');
    });
  });

  describe('row 1b: an observer cannot bind a login to himself', () => {
    it('isSameCaUser/EVIL01 with what the screen shows answers true (scan again) and binds nothing', async () => {
      const started = (await start()).body.data;
      await sim.phone.scan(started.qrCode, 'S003', 'approve');
      const done = await waitFor(
        () => result(started.signDataId),
        (res) => res.body.data?.jobStatus !== 'UNSIGN',
      );
      const vendorUserId = (await authorizations().findOne(byHandle(started.signDataId)))!.msspId;
      const fromQr = qrJobId(started.qrCode);
      for (const body of [
        { accessToken: vendorUserId, signDataId: fromQr },
        { accessToken: fromQr, signDataId: fromQr },
      ]) {
        const evil = await isSame('EVIL01', body);
        expect(evil.status).toBe(200);
        expect(evil.body.data).toBe(true);
      }
      expect((await authorizations().findOne(byHandle(started.signDataId)))!.userCode).toBeUndefined();
      const own = await isSame('S003', { accessToken: done.body.data.msspId, signDataId: started.signDataId });
      expect(own.body.data).toBe(false);
      expect((await authorizations().findOne(byHandle(started.signDataId)))!.userCode).toBe('S003');
    });
  });

  describe('row 2: neither the records API nor an old login hands out a credential', () => {
    it('records show no msspId, authorizationSignDataId, handle or token; last login’s token and the vendor id are 401', async () => {
      const first = await loginWithCoss(t, sim, 'S004');
      const signed = await sign(first.msspId, 'REC-1', { userCode: 'S004' });
      expect(signed.status).toBe(200);
      const records = await request(t.http)
        .get('/windranger/doc/ca/records')
        .query({ docId: 'REC-1', type: 'riskAssessment' });
      expect(records.status).toBe(200);
      const [view] = records.body.data;
      expect(view).not.toHaveProperty('msspId');
      expect(view).not.toHaveProperty('authorizationSignDataId');
      const vendorUserId = await vendorUserIdOf(first);
      const text = JSON.stringify(records.body);
      for (const secret of [first.msspId, first.signDataId, vendorUserId]) expect(text).not.toContain(secret);

      await request(t.http).post('/coss/service/v1/endAutoSign').send({ userId: first.msspId });
      const second = await loginWithCoss(t, sim, 'S004');
      expect(second.msspId).not.toBe(first.msspId);
      expect(await vendorUserIdOf(second)).toBe(vendorUserId);
      for (const old of [first.msspId, vendorUserId]) {
        const res = await sign(old, 'REC-2');
        expect(res.status).toBe(401);
      }
      expect((await isSame('S004', { accessToken: second.msspId, signDataId: second.signDataId })).body.data).toBe(
        false,
      );
    });
  });

  describe('row 3: logout and the seal image need the live token', () => {
    it('endAutoSign and queryImage with the vendor id, the handle or a dead token are 404 and log nobody out', async () => {
      const nurse = await loginWithCoss(t, sim, 'S005');
      const vendorUserId = await vendorUserIdOf(nurse);
      sim.clearRequests();
      for (const userId of [vendorUserId, nurse.signDataId, 'not-a-token']) {
        const ended = await request(t.http).post('/coss/service/v1/endAutoSign').send({ userId });
        expect(ended.status).toBe(404);
        expect(ended.body.error).toMatchObject({ type: 'NOT_FOUND', field: 'userId' });
        const image = await request(t.http).post('/coss/service/v1/queryImage').send({ UserId: userId });
        expect(image.status).toBe(404);
      }
      expect(sim.requests('endAutoSign')).toHaveLength(0);
      expect((await isSame('S005', { accessToken: nurse.msspId, signDataId: nurse.signDataId })).body.data).toBe(false);

      const image = await request(t.http).post('/coss/service/v1/queryImage').send({ UserId: nurse.msspId });
      expect(image.status).toBe(200);
      const ended = await request(t.http).post('/coss/service/v1/endAutoSign').send({ userId: nurse.msspId });
      expect(ended.body.data).toEqual({ userId: nurse.msspId, ended: 1 });
      expect(sim.requests('endAutoSign').map((r) => r.userId)).toEqual([vendorUserId]);
      const again = await request(t.http).post('/coss/service/v1/endAutoSign').send({ userId: nurse.msspId });
      expect(again.status).toBe(404);
      expect(sim.requests('endAutoSign')).toHaveLength(1);
      expect((await request(t.http).post('/coss/service/v1/queryImage').send({ UserId: nurse.msspId })).status).toBe(
        404,
      );
    });
  });

  describe('row 11: the authorization is clamped to CA_MAX_AUTHORIZATION_HOURS', () => {
    it('timeRegion=10000000 is accepted, asked of the vendor as 24 h, and FINISH reports authorizationEndsAt', async () => {
      sim.clearRequests();
      const nurse = await loginWithCoss(t, sim, 'S006', { timeRegion: 10_000_000 });
      expect(sim.requests('startAutoSign').at(-1)).toMatchObject({ timeRegion: 24 * 60 });
      const done = (await result(nurse.signDataId)).body.data;
      const endsAt = new Date(done.authorizationEndsAt).getTime();
      expect(endsAt).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
      expect(endsAt).toBeGreaterThan(Date.now() + 24 * 3600_000 - 60_000);
      expect((await authorizations().findOne(byHandle(nurse.signDataId)))!.validitySeconds).toBe(24 * 3600);
    });
  });

  describe('row 12: no handle or token in any log line', () => {
    it('the SSE stream is logged by its route with the handle redacted; no token, handle or vendor user id at trace', async () => {
      const nurse = await loginWithCoss(t, sim, 'S007');
      const url = `${await t.app.getUrl()}/coss/service/v1/signResult/${nurse.signDataId}/events`;
      const stream = await collectSse(url);
      expect(stream.events.at(-1)!.data).toMatchObject({ jobStatus: 'FINISH' });
      await sign(nurse.msspId, 'LOG-1', { userCode: 'S007' });
      await request(t.http).post('/coss/service/v1/endAutoSign').send({ userId: nurse.msspId });
      await sleep(50);
      const text = logs.text();
      // The stream's own access line (written when it closes) names the route template; its path never holds the handle.
      const streamLine = text.split('\n').find((line) => line.includes('event stream closed'));
      expect(streamLine).toContain('"route":"/coss/service/v1/signResult/:signDataId/events"');
      expect(streamLine).toContain('[REDACTED]');
      for (const secret of [nurse.signDataId, nurse.msspId, await vendorUserIdOf(nurse)]) {
        expect(text).not.toContain(secret);
      }
    });
  });

  describe('row 13: a login the gateway expired is still watched at the vendor', () => {
    it('a late approval is refused (EXPIRED, no token works) and ended at the vendor with endAutoSign', async () => {
      const started = (await start({ userCode: 'S009' })).body.data;
      await authorizations().updateOne(byHandle(started.signDataId), {
        $set: { qrExpiresAt: new Date(Date.now() - 1000) },
      });
      expect((await result(started.signDataId)).body.data.jobStatus).toBe('EXPIRED');
      sim.clearRequests();
      await sim.phone.scan(started.qrCode, 'S009', 'approve');
      const stored = await waitFor(
        () => authorizations().findOne(byHandle(started.signDataId)),
        (login) => login?.lateFinishEndedAt instanceof Date,
        10_000,
      );
      expect(stored).toMatchObject({ status: 'EXPIRED' });
      expect(stored).not.toHaveProperty('lateWatchUntil');
      expect(stored).not.toHaveProperty('msspId');
      const ended = sim.requests('endAutoSign').map((r) => r.userId);
      expect(ended).toHaveLength(1);
      expect(ended[0]).toMatch(/^[0-9a-f]{64}$/);
      const late = await result(started.signDataId);
      expect(late.body.data.jobStatus).toBe('EXPIRED');
      expect(late.body.data).not.toHaveProperty('msspId');
      // Polled every 4 × CA_POLL_INTERVAL_MS, not at every interval.
      const polls = sim.requests('getSignResult').filter((r) => r.signDataId === qrJobId(started.qrCode));
      expect(polls.length).toBeLessThanOrEqual(3);
    });
  });

  describe('seed-minimal PC flow (000_947579f8cd94759d), unchanged', () => {
    it('start, poll, queryImage {UserId}, isSameCaUser, signDocWithCa with only caIdentityParamsMap.accessToken', async () => {
      const started = await request(t.http)
        .post('/coss/service/v1/startAutoSign')
        .send({ UserId: '', timeRegion: 720 });
      expect(started.status).toBe(200);
      const { signDataId, qrCode } = started.body.data;
      await sim.phone.scan(qrCode, 'S008', 'approve');
      const done = await waitFor(
        () => result(signDataId),
        (res) => res.body.data?.jobStatus !== 'UNSIGN',
      );
      expect(done.body.data).toMatchObject({ signDataId, jobStatus: 'FINISH' });
      const { msspId } = done.body.data;
      const image = await request(t.http).post('/coss/service/v1/queryImage').send({ UserId: msspId });
      expect(image.status).toBe(200);
      expect(image.body.data.image).toEqual(expect.any(String));
      const same = await isSame('S008', { accessToken: msspId, signDataId });
      expect(same.body).toMatchObject({ code: 200, data: false });
      const signed = await request(t.http)
        .post('/windranger/doc/ca/signDocWithCa')
        .send({
          caIdentityParamsMap: { accessToken: msspId },
          docData: { id: 'SEED-1', score: 3 },
          type: 'riskAssessment',
        });
      expect(signed.status).toBe(200);
      expect(signed.body.data).toMatchObject({ docId: 'SEED-1', status: 'SIGNED' });
      const doc = await request(t.http).get('/windranger/doc/riskAssessment/SEED-1');
      expect(doc.body.data.signature).toMatchObject({ userCode: 'S008' });
    });
  });
});
