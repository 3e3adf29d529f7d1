import request from 'supertest';
import { DomainEvent, EventBus } from '../src/events';
import { CossSimulator } from '../src/simulators/coss/coss-simulator';
import { loginWithCoss, signAsNurse } from './support/coss-login';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

describe('Domain events of a login and a signature', () => {
  let sim: CossSimulator;
  let t: TestApp;
  const seen: DomainEvent[] = [];

  beforeAll(async () => {
    sim = await CossSimulator.start({ port: 0 });
    t = await startTestApp({ COSS_BASE_URL: sim.url, CA_PROVIDERS: 'coss', CA_POLL_INTERVAL_MS: '100' });
    t.app.get(EventBus).onAny((event) => void seen.push(event));
  });
  afterAll(async () => {
    await t.close();
    await sim.stop();
  });

  it('every store reports on the one bus, in order, with ids and facts but no msspId, token or content', async () => {
    const nurse = await loginWithCoss(t, sim, 'V001');
    const signed = await signAsNurse(t, nurse, { id: 'EV-1', note: 'private clinical note' });
    expect(signed.status).toBe(200);
    // The in-process TSA stamps the record in the background; waited for so that the order below is fixed.
    await waitFor(
      async () => seen.map((event) => event.type),
      (types) => types.includes('TimestampGranted'),
    );
    const ended = await request(t.http).post('/coss/service/v1/endAutoSign').send({ userId: nurse.msspId });
    expect(ended.status).toBe(200);

    await waitFor(
      async () => seen.map((event) => event.type),
      (types) => types.includes('AuthorizationEnded'),
    );
    // Audit appends follow the transitions asynchronously (the outbox drain), so their place in the order is not fixed.
    const types = seen
      .map((event) => event.type)
      .filter((type) => type !== 'SealImageStored' && type !== 'AuditEntryAppended');
    expect(types).toEqual([
      'LoginStarted',
      'EnrollmentCreated',
      'LoginFinished',
      'RecordClaimed',
      'RecordSigned',
      'DocumentApplied',
      'TimestampGranted',
      'AuthorizationEnded',
    ]);
    expect(seen.find((event) => event.type === 'RecordSigned')).toMatchObject({
      recordId: signed.body.data.recordId,
      docId: 'EV-1',
    });
    const text = JSON.stringify(seen);
    expect(text).not.toContain(nurse.msspId);
    expect(text).not.toContain('private clinical note');
  });
});
