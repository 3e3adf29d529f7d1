import { AutoSignData, COSS_STATUS, GetSignResultData, QueryImageData } from '../../ca/vendors/coss/coss.wire';
import { SIMULATOR_CA_ORGANIZATION } from '../../config/vendor-trust-rules';
import { parseCertificate } from '../../crypto';
import { CossSimulator } from './coss-simulator';
import { cossPost, loginNurse, simRequest, startLogin, verifiesWithCertificate } from './coss-sim.testing';

const APP_ID = 'APP_0157E810F6894BEEB4DEC70331720557';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe(CossSimulator.name, () => {
  let sim: CossSimulator;
  let now = Date.now();

  beforeAll(async () => {
    sim = await CossSimulator.start({ appId: APP_ID, jobTtlMs: 60_000, clock: () => now });
  });
  afterAll(() => sim.stop());
  beforeEach(() => {
    now = Date.now();
    sim.faults.clear();
  });

  describe('QR login', () => {
    it('answers a COSS QR job and, once the phone approves, a signature over the challenge that verifies', async () => {
      const login = await startLogin(sim, { timeRegion: 30 });
      expect(login.signDataId).toMatch(/^SD_[0-9a-f-]{36}$/);
      expect(JSON.parse(login.qrCode)).toEqual({
        cv: '2.0',
        id: APP_ID,
        o: login.signDataId,
        sUrl: `${sim.url}/coss/mobile/v1/getServiceInfo`,
      });
      const challenge = Buffer.from(login.data ?? '', 'base64');
      expect(challenge).toHaveLength(32);

      const waiting = await cossPost<GetSignResultData>(sim, 'getSignResult', { signDataId: login.signDataId });
      expect(waiting).toEqual({
        status: 200,
        message: 'SUCCESS',
        data: { signDataId: login.signDataId, jobStatus: 'UNSIGN' },
      });

      const scan = await simRequest(sim, 'POST', '/sim/phone/scan', {
        qrCode: login.qrCode,
        nurse: 'N001',
        name: '张护士',
      });
      expect(scan.status).toBe(200);
      expect(scan.json).toMatchObject({ ok: true, signDataId: login.signDataId });

      const done = await cossPost<GetSignResultData>(sim, 'getSignResult', { signDataId: login.signDataId });
      const data = done.data as GetSignResultData;
      expect(data.jobStatus).toBe('FINISH');
      expect(data.msspId).toMatch(/^[0-9a-f]{64}$/);
      expect(data.msspId).toBe(scan.json.msspId);
      expect(verifiesWithCertificate(challenge, data.signResult ?? '', data.signCert ?? '')).toBe(true);

      const cert = parseCertificate(data.signCert ?? '');
      expect(cert.subjectCommonName).toBe('张护士');
      expect(cert.issuer).toContain('COSS Simulator SM2 CA');
      expect(cert.der.equals((await sim.nurses.get('N001')).certificateDer)).toBe(true);
    });

    it('answers REJECT when the nurse refuses on the phone', async () => {
      const login = await startLogin(sim);
      expect(await sim.phone.scan(login.qrCode, 'N002', 'reject')).toMatchObject({ ok: true });
      const answer = await cossPost<GetSignResultData>(sim, 'getSignResult', { signDataId: login.signDataId });
      expect(answer.data).toEqual({ signDataId: login.signDataId, jobStatus: 'REJECT' });
    });

    it('expires a job nobody answered within jobTtlMs, and the phone can no longer answer it', async () => {
      const login = await startLogin(sim);
      now += 60_001;
      expect(await cossPost(sim, 'getSignResult', { signDataId: login.signDataId })).toEqual({
        status: COSS_STATUS.JOB_EXPIRED,
        message: '签名任务已过期',
        data: null,
      });
      const scan = await simRequest(sim, 'POST', '/sim/phone/scan', { qrCode: login.qrCode, nurse: 'N001' });
      expect(scan).toEqual({ status: 409, json: expect.objectContaining({ ok: false, error: 'expired' }) });
    });

    it('keeps a finished job readable after the TTL', async () => {
      const login = await startLogin(sim);
      await sim.phone.scan(login.qrCode, 'N001');
      now += 120_000;
      const answer = await cossPost<GetSignResultData>(sim, 'getSignResult', { signDataId: login.signDataId });
      expect(answer.data?.jobStatus).toBe('FINISH');
    });

    it('answers bad parameters for an unknown signDataId', async () => {
      const answer = await cossPost(sim, 'getSignResult', { signDataId: 'SD_nope' });
      expect(answer).toEqual({
        status: 10904001,
        message: '请求参数错误',
        data: { errCode: '10904001', errMsg: '签名任务不存在' },
      });
    });

    it('refuses a second answer, an unknown job, a QR for another user and garbage QR content', async () => {
      const login = await startLogin(sim);
      await sim.phone.scan(login.qrCode, 'N001');
      expect((await simRequest(sim, 'POST', '/sim/phone/scan', { qrCode: login.qrCode, nurse: 'N001' })).status).toBe(
        409,
      );
      const unknown = JSON.stringify({ cv: '2.0', id: APP_ID, o: 'SD_missing', sUrl: 'x' });
      expect((await simRequest(sim, 'POST', '/sim/phone/scan', { qrCode: unknown, nurse: 'N001' })).status).toBe(404);
      expect((await simRequest(sim, 'POST', '/sim/phone/scan', { qrCode: 'not json', nurse: 'N001' })).status).toBe(
        400,
      );

      const nurse2 = await sim.nurses.get('N002');
      const forNurse2 = await startLogin(sim, { userId: nurse2.msspId });
      expect(await sim.phone.scan(forNurse2.qrCode, 'N001')).toMatchObject({ ok: false, reason: 'wrong-user' });
      expect(await sim.phone.scan(forNurse2.qrCode, 'N002')).toMatchObject({ ok: true, msspId: nurse2.msspId });
    });

    it('refuses a timeRegion that is not a positive number, and accepts a numeric string', async () => {
      expect((await cossPost(sim, 'startAutoSign', { timeRegion: -1 })).status).toBe(10904001);
      expect((await cossPost(sim, 'startAutoSign', { timeRegion: '1440' })).status).toBe(200);
    });
  });

  describe('seal image', () => {
    it('answers the nurse seal as a PNG, under userId or UserId', async () => {
      const msspId = await loginNurse(sim, 'N003');
      for (const body of [{ userId: msspId }, { UserId: msspId }]) {
        const answer = await cossPost<QueryImageData>(sim, 'queryImage', body);
        expect(answer.status).toBe(200);
        expect(answer.data?.userId).toBe(msspId);
        expect(
          Buffer.from(answer.data?.image ?? '', 'base64')
            .subarray(0, 8)
            .equals(PNG_SIGNATURE),
        ).toBe(true);
      }
    });

    it('answers 89004003 for an unknown user', async () => {
      expect(await cossPost(sim, 'queryImage', { userId: 'f'.repeat(64) })).toEqual({
        status: COSS_STATUS.USER_INACTIVE,
        message: '用户不存在或未激活',
        data: null,
      });
    });
  });

  describe('auto-sign', () => {
    const document = Buffer.from('{"docId":"D1","text":"体温 36.8℃"}', 'utf8');

    it('signs exactly the decoded bytes after a login', async () => {
      const msspId = await loginNurse(sim, 'N004');
      const answer = await cossPost<AutoSignData>(sim, 'autoSign', {
        userId: msspId,
        data: document.toString('base64'),
        appId: APP_ID,
        title: 'nursing record',
        dataType: 'DATA',
        algo: 'SM3withSM2',
      });
      expect(answer.status).toBe(200);
      const data = answer.data as AutoSignData;
      expect(data.signDataId).toMatch(/^SD_/);
      expect(verifiesWithCertificate(document, data.signResult, data.signCert ?? '')).toBe(true);
      expect(verifiesWithCertificate(Buffer.from('other'), data.signResult, data.signCert ?? '')).toBe(false);
    });

    it('refuses a user who never logged in, and one whose authorization was ended', async () => {
      const never = await sim.nurses.get('N005');
      const refused = await cossPost(sim, 'autoSign', { userId: never.msspId, data: 'AAEC', appId: APP_ID });
      expect(refused).toEqual({ status: COSS_STATUS.USER_INACTIVE, message: '用户不存在或未激活', data: null });

      const msspId = await loginNurse(sim, 'N006');
      expect((await cossPost(sim, 'autoSign', { userId: msspId, data: 'AAEC', appId: APP_ID })).status).toBe(200);
      expect(await cossPost(sim, 'endAutoSign', { userId: msspId })).toEqual({
        status: 200,
        message: 'SUCCESS',
        data: { userId: msspId },
      });
      const ended = await cossPost(sim, 'autoSign', { userId: msspId, data: 'AAEC', appId: APP_ID });
      expect(ended).toEqual({ status: COSS_STATUS.USER_INACTIVE, message: '自动签授权已结束', data: null });
    });

    it('ends the authorization after timeRegion minutes', async () => {
      const msspId = await loginNurse(sim, 'N007', { timeRegion: 2 });
      now += 119_000;
      expect((await cossPost(sim, 'autoSign', { userId: msspId, data: 'AAEC', appId: APP_ID })).status).toBe(200);
      now += 1_000;
      expect(await cossPost(sim, 'autoSign', { userId: msspId, data: 'AAEC', appId: APP_ID })).toMatchObject({
        status: COSS_STATUS.USER_INACTIVE,
        message: '自动签授权已过期',
      });
    });

    it('answers bad parameters for missing or invalid base64 data and for a foreign appId', async () => {
      const msspId = await loginNurse(sim, 'N004');
      for (const data of [undefined, '', 'not base64!', 'AAE']) {
        expect((await cossPost(sim, 'autoSign', { userId: msspId, data, appId: APP_ID })).status).toBe(10904001);
      }
      const foreign = await cossPost(sim, 'autoSign', { userId: msspId, data: 'AAEC', appId: 'APP_OTHER' });
      expect(foreign.status).toBe(10904001);
    });

    it('journals the autoSign requests with their appId and userId', async () => {
      const msspId = await loginNurse(sim, 'N008');
      await cossPost(sim, 'autoSign', { userId: msspId, data: 'AAEC', appId: APP_ID });
      expect(sim.requests('autoSign').at(-1)).toMatchObject({ userId: msspId, appId: APP_ID, data: 'AAEC' });
      const journal = await simRequest<{ requests: Record<string, unknown>[] }>(
        sim,
        'GET',
        '/sim/requests?operation=autoSign',
      );
      expect(journal.json.requests.at(-1)).toMatchObject({ userId: msspId, appId: APP_ID });
    });
  });

  describe('control routes', () => {
    it('creates nurses, including one with an expired certificate, and serves the root', async () => {
      const created = await simRequest<{ code: string; msspId: string; certificate: string; expired: boolean }>(
        sim,
        'POST',
        '/sim/nurses',
        {
          code: 'EXP1',
          name: '过期护士',
          expired: true,
        },
      );
      expect(created.status).toBe(200);
      expect(created.json).toMatchObject({ code: 'EXP1', expired: true });
      expect(created.json.msspId).toMatch(/^[0-9a-f]{64}$/);
      expect(parseCertificate(created.json.certificate).notAfter.getTime()).toBeLessThan(Date.now());

      const ca = await simRequest<{ rootCertificate: string }>(sim, 'GET', '/sim/ca');
      expect(Buffer.from(ca.json.rootCertificate, 'base64').equals(sim.rootCertificateDer)).toBe(true);
      expect(parseCertificate(sim.rootCertificateDer).subject).toContain(SIMULATOR_CA_ORGANIZATION);
    });

    it('keeps the envelope for a body that is not JSON and answers 404 for an unknown operation', async () => {
      const garbage = await fetch(`${sim.url}/coss/service/v1/getSignResult`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{oops',
      });
      expect(garbage.status).toBe(200);
      expect(((await garbage.json()) as { status: number }).status).toBe(10904001);
      const unknown = await fetch(`${sim.url}/coss/service/v1/verifyPdfSeal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(unknown.status).toBe(404);
    });
  });
});
