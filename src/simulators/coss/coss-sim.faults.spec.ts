import { AutoSignData, COSS_PATH_PREFIX, GetSignResultData } from '../../ca/vendors/coss/coss.wire';
import { CossSimulator } from './coss-simulator';
import { cossPost, loginNurse, simRequest, startLogin, verifiesWithCertificate } from './coss-sim.testing';

describe(`${CossSimulator.name} faults`, () => {
  let sim: CossSimulator;

  beforeAll(async () => {
    sim = await CossSimulator.start();
  });
  afterAll(() => sim.stop());
  afterEach(async () => {
    await simRequest(sim, 'DELETE', '/sim/faults');
    await simRequest(sim, 'PUT', '/sim/latency', { ms: 0 });
  });

  const raw = (operation: string, body: object = {}, signal?: AbortSignal): Promise<Response> =>
    fetch(`${sim.url}${COSS_PATH_PREFIX}/${operation}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });

  it("'error' answers the vendor code in the envelope, as many times as asked", async () => {
    const added = await simRequest(sim, 'POST', '/sim/faults', {
      operation: 'startAutoSign',
      kind: 'error',
      status: 89004002,
      message: '用户已存在',
      times: 1,
    });
    expect(added.status).toBe(200);
    expect(await cossPost(sim, 'startAutoSign', {})).toEqual({ status: 89004002, message: '用户已存在', data: null });
    expect((await cossPost(sim, 'startAutoSign', {})).status).toBe(200);
  });

  it("'error' with '*' hits every operation until cleared, and 10904001 keeps its errMsg data", async () => {
    sim.faults.add({ operation: '*', kind: 'error', status: 10904001, message: 'boom' });
    expect(await cossPost(sim, 'queryImage', { userId: 'x' })).toEqual({
      status: 10904001,
      message: '请求参数错误',
      data: { errCode: '10904001', errMsg: 'boom' },
    });
    expect((await cossPost(sim, 'endAutoSign', { userId: 'x' })).status).toBe(10904001);
    sim.faults.clear();
    expect((await cossPost(sim, 'startAutoSign', {})).status).toBe(200);
  });

  it("'http-error' answers a non-200 HTTP status with an HTML body", async () => {
    sim.faults.add({ operation: 'getSignResult', kind: 'http-error', status: 503, times: 1 });
    const response = await raw('getSignResult', { signDataId: 'SD_x' });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('text/html');
  });

  it("'malformed' answers truncated JSON, or a success envelope without the required fields", async () => {
    sim.faults.add({ operation: 'startAutoSign', kind: 'malformed', times: 1 });
    const truncated = await raw('startAutoSign');
    expect(truncated.status).toBe(200);
    expect(truncated.headers.get('content-type')).toContain('application/json');
    const text = await truncated.text();
    expect(() => JSON.parse(text)).toThrow();

    sim.faults.add({ operation: 'startAutoSign', kind: 'malformed', variant: 'missing-fields', times: 1 });
    expect(await cossPost(sim, 'startAutoSign', {})).toEqual({ status: 200, message: 'SUCCESS', data: {} });
  });

  it("'wrong-signature' answers a signature that does not verify, with the real certificate, at login and auto-sign", async () => {
    const nurse = await sim.nurses.get('W001');
    sim.faults.add({ operation: 'getSignResult', kind: 'wrong-signature', times: 1 });
    const login = await startLogin(sim);
    // A poll before the phone answers carries no signature, so it does not use the fault up.
    expect(
      (await cossPost<GetSignResultData>(sim, 'getSignResult', { signDataId: login.signDataId })).data?.jobStatus,
    ).toBe('UNSIGN');
    await sim.phone.scan(login.qrCode, 'W001');
    const challenge = Buffer.from(login.data ?? '', 'base64');
    const bad = (await cossPost<GetSignResultData>(sim, 'getSignResult', { signDataId: login.signDataId }))
      .data as GetSignResultData;
    expect(bad.jobStatus).toBe('FINISH');
    expect(Buffer.from(bad.signCert ?? '', 'base64').equals(nurse.certificateDer)).toBe(true);
    expect(verifiesWithCertificate(challenge, bad.signResult ?? '', bad.signCert ?? '')).toBe(false);
    const good = (await cossPost<GetSignResultData>(sim, 'getSignResult', { signDataId: login.signDataId }))
      .data as GetSignResultData;
    expect(verifiesWithCertificate(challenge, good.signResult ?? '', good.signCert ?? '')).toBe(true);

    await simRequest(sim, 'POST', '/sim/faults', { operation: 'autoSign', kind: 'wrong-signature' });
    const signed = await cossPost<AutoSignData>(sim, 'autoSign', {
      userId: nurse.msspId,
      data: 'AAECAw==',
      appId: 'APP',
    });
    const data = signed.data as AutoSignData;
    expect(Buffer.from(data.signCert ?? '', 'base64').equals(nurse.certificateDer)).toBe(true);
    expect(verifiesWithCertificate(Buffer.from([0, 1, 2, 3]), data.signResult, data.signCert ?? '')).toBe(false);
  });

  it("'timeout' hangs for delayMs and then answers normally", async () => {
    await simRequest(sim, 'POST', '/sim/faults', {
      operation: 'startAutoSign',
      kind: 'timeout',
      delayMs: 150,
      times: 1,
    });
    const started = Date.now();
    expect((await cossPost(sim, 'startAutoSign', {})).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("'timeout' outlasts a client timeout, and stop() does not wait for the hanging answer", async () => {
    const own = await CossSimulator.start();
    own.faults.add({ operation: '*', kind: 'timeout' });
    await expect(cossPost(own, 'startAutoSign', {}, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    const hanging = cossPost(own, 'startAutoSign', {});
    hanging.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await own.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(hanging).rejects.toThrow();
  });

  it("'drop' destroys the connection without an answer", async () => {
    sim.faults.add({ operation: 'autoSign', kind: 'drop', times: 1 });
    await expect(raw('autoSign', { userId: 'x', data: 'AAEC' })).rejects.toThrow();
    expect((await cossPost(sim, 'autoSign', { userId: 'x', data: 'AAEC' })).status).toBe(89004003);
  });

  it('lists, validates and clears faults over HTTP', async () => {
    expect((await simRequest(sim, 'POST', '/sim/faults', { operation: 'nope', kind: 'error' })).status).toBe(400);
    expect((await simRequest(sim, 'POST', '/sim/faults', { operation: '*', kind: 'explode' })).status).toBe(400);
    expect(
      (await simRequest(sim, 'POST', '/sim/faults', { operation: '*', kind: 'http-error', status: 200 })).status,
    ).toBe(400);
    await simRequest(sim, 'POST', '/sim/faults', { operation: 'queryImage', kind: 'error', times: 2 });
    expect((await simRequest<{ faults: unknown[] }>(sim, 'GET', '/sim/faults')).json.faults).toEqual([
      { operation: 'queryImage', kind: 'error', times: 2 },
    ]);
    expect((await simRequest(sim, 'DELETE', '/sim/faults')).status).toBe(200);
    expect(sim.faults.list()).toEqual([]);
  });

  it('adds latency to every vendor answer', async () => {
    expect((await simRequest(sim, 'PUT', '/sim/latency', { ms: 120 })).status).toBe(200);
    const started = Date.now();
    await cossPost(sim, 'startAutoSign', {});
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect((await simRequest(sim, 'PUT', '/sim/latency', { ms: -1 })).status).toBe(400);
  });

  it('still journals a request whose answer was a fault', async () => {
    const msspId = await loginNurse(sim, 'W002');
    sim.faults.add({ operation: 'autoSign', kind: 'error', times: 1 });
    await cossPost(sim, 'autoSign', { userId: msspId, data: 'AAEC', appId: 'APP_J' });
    expect(sim.requests('autoSign').at(-1)).toMatchObject({ userId: msspId, appId: 'APP_J' });
  });
});
