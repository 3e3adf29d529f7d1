import request from 'supertest';
import type { AnhuiSimulator } from '../src/simulators/anhui/anhui-simulator';
import type { CossSimulator } from '../src/simulators/coss/coss-simulator';
import type { TsaSimulator } from '../src/simulators/tsa';
import { loginWithCoss } from './support/coss-login';
import { EMBEDDED_DEFAULTS_ENV, startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

describe('Embedded defaults: no vendor configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(EMBEDDED_DEFAULTS_ENV);
  });
  afterAll(() => t.close());

  it('logs in and signs through the in-process COSS simulator, over loopback HTTP', async () => {
    const sim = t.app.get<CossSimulator>('COSS_IN_PROCESS_SIMULATOR');
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const nurse = await loginWithCoss(t, sim, 'E001');
    const signed = await request(t.http)
      .post('/windranger/doc/ca/signDocWithCa')
      .send({
        caIdentityParamsMap: { accessToken: nurse.msspId },
        docData: { id: 'E-1' },
        type: 'document',
        userCode: 'E001',
      });
    expect(signed.body.data.status).toBe('SIGNED');
    expect(sim.requests('autoSign')).toHaveLength(1);
  });

  it('stamps signatures with the in-process TSA simulator, whose roots it trusts', async () => {
    const tsa = t.app.get<TsaSimulator>('TSA_IN_PROCESS_SIMULATOR');
    expect(tsa.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const listed = await waitFor(
      () => request(t.http).get('/windranger/doc/ca/records').query({ docId: 'E-1', type: 'document' }),
      (res) => res.body.data[0]?.timestamp?.status === 'GRANTED',
    );
    expect(listed.body.data[0].timestamp.genTime).toEqual(expect.any(String));
    expect(tsa.requestCount).toBeGreaterThanOrEqual(1);
  });

  it('logs in through the in-process scan-service simulator, and chains its certificates to the simulator CA', async () => {
    const sim = t.app.get<AnhuiSimulator>('ANHUI_IN_PROCESS_SIMULATOR');
    const started = await request(t.http)
      .post('/coss/service/v1/startAutoSign')
      .send({ provider: 'anhui', userCode: 'E002' });
    await sim.app.scan({ qr: started.body.data.qrCode, user: 'rsa-nurse' });
    const done = await waitFor(
      () => request(t.http).post('/coss/service/v1/getSignResult').send({ signDataId: started.body.data.signDataId }),
      (res) => res.body.data?.jobStatus !== 'UNSIGN',
    );
    expect(done.body.data.jobStatus).toBe('FINISH');
  });
});
