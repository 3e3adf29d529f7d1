import request from 'supertest';
import { CossSimulator } from '../../../src/simulators/coss/coss-simulator';
import { loginWithCoss } from '../../support/coss-login';
import { startTestApp, TestApp } from '../../support/test-app';
import { TEST_VENDORS } from '../../support/test-vendors';
import { byHandle } from '../../support/handles';

/** The third vendor lives in this folder only; test/support/test-vendors.ts registers it in one line. */
describe('A test-only vendor registered by one line (relay, over the COSS simulator)', () => {
  let sim: CossSimulator;
  let t: TestApp;

  beforeAll(async () => {
    sim = await CossSimulator.start({ port: 0 });
    t = await startTestApp(
      { CA_PROVIDERS: 'coss,relay', CA_DEFAULT_PROVIDER: 'relay', RELAY_BASE_URL: sim.url, COSS_BASE_URL: sim.url },
      { vendors: TEST_VENDORS },
    );
  });
  afterAll(async () => {
    await t?.close();
    await sim?.stop();
  });

  it('logs in and signs end to end through the HTTP API, and the record names the relay', async () => {
    const nurse = await loginWithCoss(t, sim, 'R001', { provider: 'relay' });
    const login = await t.connection.collection('caAuthorizations').findOne(byHandle(nurse.signDataId));
    expect(login).toMatchObject({ provider: 'relay', status: 'FINISH' });
    const signed = await request(t.http)
      .post('/windranger/doc/ca/signDocWithCa')
      .send({
        caIdentityParamsMap: { accessToken: nurse.msspId },
        docData: { id: 'RELAY-1', temperature: 36.6 },
        type: 'document',
        userCode: 'R001',
      });
    expect(signed.status).toBe(200);
    expect(signed.body.data.status).toBe('SIGNED');
    expect(sim.requests('autoSign')).toHaveLength(1);
    const record = await t.connection.collection('caExtendedData').findOne({ provider: 'relay' });
    expect(record).toMatchObject({ provider: 'relay', status: 'SIGNED' });
  });

  it('is refused by name for what it does not declare (422)', async () => {
    const res = await request(t.http).post('/ca/operations/encrypt').send({ plaintext: 'x', provider: 'relay' });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ type: 'CAPABILITY_UNSUPPORTED', vendor: 'relay', capability: 'encrypt' });
  });

  it('names an unregistered vendor in CA_PROVIDERS at start-up', async () => {
    await expect(startTestApp({ CA_PROVIDERS: 'coss,relay', RELAY_BASE_URL: sim.url })).rejects.toThrow(
      /CA_PROVIDERS="coss,relay": relay is not one of coss, anhui/,
    );
  });
});
