import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { CossSimulator } from '../../src/simulators/coss/coss-simulator';
import { AuditOutboxDrain } from '../../src/evidence/audit';
import { LoginSweeper } from '../../src/login/login-sweeper';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

interface Answer {
  status: number;
  retryAfter?: string;
  body: { data?: { signDataId?: string; qrCode?: string }; error?: { type: string; retryAfterSeconds?: number } };
}

/** startAutoSign from a chosen loopback address (127.0.0.0/8 is all local on Linux), so each test is its own PC. */
function startFrom(t: TestApp, address: string, body: object = { userId: '', timeRegion: 60 }): Promise<Answer> {
  const { port } = t.app.getHttpServer().address() as { port: number };
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        localAddress: address,
        method: 'POST',
        path: '/coss/service/v1/startAutoSign',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
        agent: false,
      },
      (res) => {
        let raw = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (raw += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'], body: JSON.parse(raw) }),
        );
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

async function inBatches<T>(count: number, batch: number, call: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  while (results.length < count) {
    const size = Math.min(batch, count - results.length);
    results.push(...(await Promise.all(Array.from({ length: size }, call))));
  }
  return results;
}

/** Waits for the next minute to begin, so that a per-minute count is not split by the turn of the minute. */
async function minuteStart(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 60_000 - (Date.now() % 60_000) + 50));
}

describe('row 7: startAutoSign is limited per client address, across gateway instances', () => {
  let sim: CossSimulator;
  let t: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    sim = await CossSimulator.start({ port: 0 });
    const env = {
      COSS_BASE_URL: sim.url,
      CA_PROVIDERS: 'coss',
      LOGIN_RATE_LIMIT_PER_MINUTE: undefined,
      LOGIN_MAX_PENDING_PER_ADDRESS: undefined,
    };
    t = await startTestApp(env);
    second = await startTestApp({ ...env, MONGODB_DB: t.dbName });
  });
  afterAll(async () => {
    await second.app.close();
    await t.close();
    await sim.stop();
  });
  beforeEach(() => sim.clearRequests());

  it('2000 startAutoSign from one address: at most 5 pending reach the vendor, the rest 429 RATE_LIMITED with Retry-After', async () => {
    const answers = await inBatches(2000, 25, () => startFrom(t, '127.0.0.1'));
    const ok = answers.filter((a) => a.status === 200);
    const limited = answers.filter((a) => a.status === 429);
    // Admitted calls reach the vendor; on a loaded machine a few of those may time out there (504), never more.
    const admitted = answers.filter((a) => a.status !== 429);
    expect(admitted.filter((a) => a.status !== 200).map((a) => a.body.error?.type)).toEqual(
      admitted.filter((a) => a.status !== 200).map(() => 'VENDOR_TIMEOUT'),
    );
    expect(ok.length).toBeGreaterThanOrEqual(5);
    expect(admitted.length).toBeLessThanOrEqual(30);
    expect(limited.length).toBeGreaterThanOrEqual(1970);
    expect(sim.requests('startAutoSign').length).toBe(admitted.length);
    for (const answer of limited.slice(0, 20)) {
      expect(answer.body.error).toMatchObject({ type: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
      expect(answer.retryAfter).toBe(String(answer.body.error!.retryAfterSeconds));
      expect(answer.body.error!.retryAfterSeconds).toBeGreaterThan(0);
    }
    expect(await t.connection.collection('caAuthorizations').countDocuments({ clientAddress: '127.0.0.1' })).toBe(
      ok.length,
    );
  }, 120_000);

  it('an empty startAutoSign body is a 400, never a login: no body names `body`, an empty JSON body is refused before validation', async () => {
    const none = await request(t.http).post('/coss/service/v1/startAutoSign');
    expect(none.status).toBe(400);
    expect(none.body.error).toMatchObject({
      type: 'VALIDATION_FAILED',
      fields: [expect.objectContaining({ field: 'body' })],
    });
    const emptyJson = await request(t.http)
      .post('/coss/service/v1/startAutoSign')
      .set('content-type', 'application/json')
      .send('');
    expect(emptyJson.status).toBe(400);
    expect(emptyJson.body.error).toMatchObject({ type: 'BAD_REQUEST' });
    expect(sim.requests('startAutoSign')).toHaveLength(0);
  });

  it('LOGIN_MAX_PENDING_PER_ADDRESS: the sixth waiting login is refused until one finishes; another address is not', async () => {
    const address = '127.0.0.2';
    const started: Answer[] = [];
    for (let i = 0; i < 5; i++) started.push(await startFrom(t, address));
    expect(started.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const sixth = await startFrom(second, address);
    expect(sixth.status).toBe(429);
    expect(sixth.body.error!.type).toBe('RATE_LIMITED');
    expect(Number(sixth.retryAfter)).toBeGreaterThan(60);
    expect((await startFrom(t, '127.0.0.3')).status).toBe(200);

    await sim.phone.scan(started[0].body.data!.qrCode!, 'N070', 'approve');
    const { signDataId } = started[0].body.data!;
    const finished = await waitFor(
      () => request(t.http).post('/coss/service/v1/getSignResult').send({ signDataId }),
      (res) => res.body.data?.jobStatus !== 'UNSIGN',
    );
    expect(finished.body.data.jobStatus).toBe('FINISH');
    expect((await startFrom(second, address)).status).toBe(200);
  });

  it('LOGIN_RATE_LIMIT_PER_MINUTE counts one address over both instances (counter in MongoDB)', async () => {
    await minuteStart();
    const address = '127.0.0.4';
    const collection = t.connection.collection('caAuthorizations');
    const answers: Answer[] = [];
    for (let i = 0; i < 34; i++) {
      answers.push(await startFrom(i % 2 ? second : t, address));
      // Keep the pending count low, so only the per-minute limit applies.
      await collection.updateMany({ clientAddress: address, status: 'UNSIGN' }, { $set: { status: 'EXPIRED' } });
    }
    expect(answers.filter((a) => a.status === 200)).toHaveLength(30);
    const refused = answers.slice(30);
    expect(refused.map((a) => a.status)).toEqual([429, 429, 429, 429]);
    expect(refused[0].body.error!.retryAfterSeconds).toBeLessThanOrEqual(60);
  }, 150_000);

  it('the sweeper removes never-finished logins after LOGIN_RETENTION_HOURS and past minutes’ counters, not finished ones', async () => {
    const logins = t.connection.collection('caAuthorizations');
    const total = await logins.countDocuments();
    const finished = await logins.countDocuments({ status: 'FINISH' });
    expect(finished).toBeGreaterThan(0);
    await t.app.get(LoginSweeper).sweepOnce(new Date(Date.now() + 23 * 3_600_000));
    expect(await logins.countDocuments()).toBe(total);
    expect(await t.connection.collection('caLoginCounters').countDocuments()).toBe(0);
    // A login leaves only once its audit items are in the chain: drain them first, as the running drain would.
    await t.app.get(AuditOutboxDrain).drainAll();
    await t.app.get(LoginSweeper).sweepOnce(new Date(Date.now() + 24 * 3_600_000 + 60_000));
    expect(await logins.countDocuments()).toBe(finished);
    expect(await logins.countDocuments({ status: { $ne: 'FINISH' } })).toBe(0);
  });
});
