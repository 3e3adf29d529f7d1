import { ANHUI_STATUS, ANHUI_TYPE } from '../../ca/vendors/anhui/anhui.wire';
import { AnhuiSimulator } from './anhui-simulator';
import { getJson, grantToken, initJob, postForm, postJson, result } from './anhui-sim.testing';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(AnhuiSimulator.name, () => {
  let sim: AnhuiSimulator;

  beforeAll(async () => {
    sim = await AnhuiSimulator.start();
  });
  afterAll(() => sim.stop());
  afterEach(() => {
    sim.faults.clear();
    sim.setLatency(0);
  });

  describe('/grantToken', () => {
    it('grants a uuid token for the configured account', async () => {
      const answer = await postForm(sim, '/grantToken', { accountName: 'mnis-sandbox', password: 'sandbox-only' });
      expect(answer).toEqual({ token: expect.stringMatching(/^[0-9a-f-]{36}$/), invokeCode: 1 });
    });

    it('refuses wrong credentials', async () => {
      const answer = await postForm(sim, '/grantToken', { accountName: 'mnis-sandbox', password: 'nope' });
      expect(answer).toEqual({ invokeCode: 0, failMessage: '账号或密码错误' });
    });

    it("accepts the spec's own content type header and JSON bodies", async () => {
      const spec = await fetch(`${sim.url}/grantToken`, {
        method: 'POST',
        headers: { 'content-type': 'Application/x-www-form-urlencoded;utf-8' },
        body: 'accountName=mnis-sandbox&password=sandbox-only',
      });
      expect(await spec.json()).toMatchObject({ invokeCode: 1 });
      const json = await postJson(sim, '/grantToken', { accountName: 'mnis-sandbox', password: 'sandbox-only' });
      expect(json.body).toMatchObject({ invokeCode: 1 });
    });
  });

  describe('jobs', () => {
    it('creates a job, answers its init message and a pending result by GET and by POST', async () => {
      const token = await grantToken(sim);
      const answer = await postForm(sim, '/initMessage', {
        type: '4',
        message: 'challenge-1',
        title: 'xx 系统登录',
        certType: '0',
        token,
      });
      expect(answer).toEqual({ guid: expect.stringMatching(/^[0-9a-f-]{36}$/), invokeCode: 1 });
      const guid = answer.guid as string;

      expect(await postForm(sim, '/getInitMessage', { guid, token })).toEqual({
        message: 'challenge-1',
        title: 'xx 系统登录',
        invokeCode: 1,
        certType: 0,
        type: '4',
        extMessage: null,
      });
      const pending = { status: 0, value: null, invokeCode: 1, extMessage: null };
      expect(await result(sim, token, guid)).toEqual(pending);
      expect(await postForm(sim, '/getCaMessageResult', { guid, token })).toEqual(pending);
    });

    it('stores what /saveCaMessageResult is given', async () => {
      const token = await grantToken(sim);
      const { guid } = await initJob(sim, token, ANHUI_TYPE.SIGN, 'text');
      const saved = await postForm(sim, '/saveCaMessageResult', {
        guid,
        token,
        status: '2',
        value: 'v',
        extMessage: 'e',
      });
      expect(saved).toEqual({ invokeCode: 1 });
      expect(await result(sim, token, guid)).toEqual({ status: 2, value: 'v', invokeCode: 1, extMessage: 'e' });
    });

    it('rejects a bad type, an empty message, an unknown guid and a bad status', async () => {
      const token = await grantToken(sim);
      expect(
        await postForm(sim, '/initMessage', { type: '7', message: 'm', title: 't', certType: '0', token }),
      ).toMatchObject({
        invokeCode: 0,
        failMessage: expect.any(String),
      });
      expect(
        await postForm(sim, '/initMessage', { type: '1', message: '', title: 't', certType: '0', token }),
      ).toMatchObject({ invokeCode: 0 });
      expect(await result(sim, token, 'no-such-guid')).toEqual({ invokeCode: 0, failMessage: '操作不存在' });
      const { guid } = await initJob(sim, token, ANHUI_TYPE.SIGN, 'text');
      expect(await postForm(sim, '/saveCaMessageResult', { guid, token, status: '9', value: 'v' })).toMatchObject({
        invokeCode: 0,
      });
    });
  });

  describe('expiry', () => {
    it('answers 401 for an unknown token and after expireTokens()', async () => {
      expect(
        await postForm(sim, '/initMessage', { type: '1', message: 'm', title: 't', certType: '0', token: 'bogus' }),
      ).toEqual({
        invokeCode: 401,
        failMessage: 'token已失效',
      });
      const token = await grantToken(sim);
      const { guid } = await initJob(sim, token, ANHUI_TYPE.SIGN, 'text');
      sim.expireTokens();
      expect(await result(sim, token, guid)).toEqual({ invokeCode: 401, failMessage: 'token已失效' });
      expect(await result(sim, await grantToken(sim), guid)).toMatchObject({ invokeCode: 1, status: 0 });
    });

    it('expires tokens after tokenTtlMs and open QR jobs after jobTtlMs, keeping finished ones', async () => {
      const short = await AnhuiSimulator.start({ users: sim.users, tokenTtlMs: 400, jobTtlMs: 150 });
      try {
        const token = await grantToken(short);
        const open = await initJob(short, token, ANHUI_TYPE.LOGIN, 'challenge');
        const done = await initJob(short, token, ANHUI_TYPE.SIGN, 'text');
        await postForm(short, '/saveCaMessageResult', { guid: done.guid, token, status: '3', value: '' });
        await sleep(200);
        expect(await result(short, token, open.guid)).toEqual({ invokeCode: 0, failMessage: '二维码已过期' });
        expect(await result(short, token, done.guid)).toMatchObject({ invokeCode: 1, status: ANHUI_STATUS.CANCELLED });
        await sleep(250);
        expect(await result(short, token, done.guid)).toEqual({ invokeCode: 401, failMessage: 'token已失效' });
      } finally {
        await short.stop();
      }
    });
  });

  describe('/api/getSeal', () => {
    it("answers the user and seals of a certificate's serial", async () => {
      const nurse = sim.users.get('sm2-nurse')!;
      const answer = await postForm(sim, '/api/getSeal', {
        caSerialId: nurse.cert.serialNumber.toLowerCase(),
        accountName: 'mnis-sandbox',
        password: 'sandbox-only',
      });
      expect(answer).toMatchObject({
        code: '0',
        message: '成功',
        userInfo: {
          userId: 'sm2-nurse',
          userName: '张护士',
          phone: nurse.phone,
          APPLYDate: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
        },
      });
      expect(answer.signInfos).toHaveLength(2);
      expect(answer.signInfos[1]).toMatchObject({ signName: '护理专用章', signWidth: '4.0', signExt: 'png' });
      expect(Buffer.from(answer.signInfos[0].signData, 'base64').subarray(1, 4).toString()).toBe('PNG');
    });

    it('answers 1001 for an unknown serial and 1002 for a wrong account', async () => {
      const serial = sim.users.get('rsa-nurse')!.cert.serialNumber;
      expect(
        await postForm(sim, '/api/getSeal', {
          caSerialId: 'ABCDEF',
          accountName: 'mnis-sandbox',
          password: 'sandbox-only',
        }),
      ).toEqual({
        code: '1001',
        message: '证书未找到',
      });
      expect(
        await postForm(sim, '/api/getSeal', { caSerialId: serial, accountName: 'mnis-sandbox', password: 'x' }),
      ).toMatchObject({ code: '1002' });
    });
  });

  describe('faults, latency and the journal', () => {
    it('injects error, http-error, malformed and revoke-tokens faults, each for its count', async () => {
      const token = await grantToken(sim);
      const { guid } = await initJob(sim, token, ANHUI_TYPE.SIGN, 'text');
      sim.faults.add({
        operation: '/getCaMessageResult',
        kind: 'error',
        invokeCode: 500,
        failMessage: '系统繁忙',
        times: 1,
      });
      expect(await result(sim, token, guid)).toEqual({ invokeCode: 500, failMessage: '系统繁忙' });
      expect(await result(sim, token, guid)).toMatchObject({ invokeCode: 1 });

      expect(
        (await postJson(sim, '/sim/faults', { operation: '*', kind: 'http-error', httpStatus: 503, times: 1 })).status,
      ).toBe(201);
      const failed = await fetch(`${sim.url}/getCaMessageResult?guid=${guid}&token=${token}`);
      expect(failed.status).toBe(503);

      sim.faults.add({ operation: '/getCaMessageResult', kind: 'malformed', times: 1 });
      const malformed = await fetch(`${sim.url}/getCaMessageResult?guid=${guid}&token=${token}`);
      await expect(malformed.json()).rejects.toThrow();

      sim.faults.add({ operation: '/getCaMessageResult', kind: 'revoke-tokens', times: 1 });
      expect(await result(sim, token, guid)).toMatchObject({ invokeCode: 401 });
      expect((await postJson(sim, '/sim/faults', { operation: 'grantToken', kind: 'error' })).status).toBe(400);
    });

    it('holds answers back for a timeout fault and for latency, and clears faults over HTTP', async () => {
      await postJson(sim, '/sim/faults', { operation: '/grantToken', kind: 'timeout', delayMs: 5000 });
      const controller = AbortSignal.timeout(150);
      const held = fetch(`${sim.url}/grantToken`, {
        method: 'POST',
        body: new URLSearchParams({ accountName: 'a', password: 'b' }),
        signal: controller,
      });
      await expect(held).rejects.toThrow();
      expect((await fetch(`${sim.url}/sim/faults`, { method: 'DELETE' })).status).toBe(200);

      expect((await postJson(sim, '/sim/latency', { ms: 120 }, 'PUT')).body).toEqual({ ok: true, ms: 120 });
      const started = Date.now();
      await grantToken(sim);
      expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    });

    it('counts requests per operation without keeping bodies', async () => {
      sim.clearRequests();
      await grantToken(sim);
      await grantToken(sim);
      await postForm(sim, '/grantToken', { accountName: 'x', password: 'y' });
      expect(sim.requests('/grantToken').count).toBe(3);
      const overHttp = await getJson(sim, '/sim/requests?operation=/grantToken');
      expect(overHttp.count).toBe(3);
      expect(overHttp.requests[2]).toEqual({
        operation: '/grantToken',
        method: 'POST',
        at: expect.any(String),
        httpStatus: 200,
        invokeCode: 0,
      });
      expect(JSON.stringify(overHttp)).not.toContain('sandbox-only');
    });
  });

  describe('control API', () => {
    it('refuses a QR without url or city, an unknown user and an unknown job', async () => {
      const noCity = await postJson(sim, '/sim/app/scan', {
        qr: JSON.stringify({ guid: 'g', url: sim.url }),
        user: 'sm2-nurse',
      });
      expect(noCity).toEqual({ status: 400, body: { error: 'QR content lacks city' } });
      const qr = JSON.stringify({ guid: 'g', url: sim.url, city: 'P3401000001' });
      expect((await postJson(sim, '/sim/app/scan', { qr, user: 'nobody' })).status).toBe(404);
      expect((await postJson(sim, '/sim/app/scan', { qr, user: 'sm2-nurse' })).status).toBe(404);
    });

    it('lists the CA roots and the users, and adds users on demand', async () => {
      const ca = await getJson(sim, '/sim/ca');
      expect(ca.certificates.map((c: string) => Buffer.from(c, 'base64'))).toEqual(sim.caCertificates);
      const added = await postJson(sim, '/sim/users', { code: 'night-nurse', keyAlgorithm: 'SM2', name: '王护士' });
      expect(added).toMatchObject({ status: 201, body: { code: 'night-nurse', name: '王护士', keyAlgorithm: 'SM2' } });
      expect(sim.users.get('night-nurse')?.cert.subjectCommonName).toBe('王护士');
      expect((await postJson(sim, '/sim/users', { code: 'night-nurse', keyAlgorithm: 'RSA' })).status).toBe(409);
    });
  });
});
