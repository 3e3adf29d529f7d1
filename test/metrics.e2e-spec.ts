import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { EventBus } from '../src/events';
import { LoopbackMetricsServer } from '../src/metrics/loopback-metrics.server';
import { AnhuiSimulator } from '../src/simulators/anhui/anhui-simulator';
import { CossSimulator } from '../src/simulators/coss/coss-simulator';
import { TSA_IN_PROCESS_SIMULATOR } from '../src/simulators/embedded/embedded-simulators.module';
import type { TsaSimulator } from '../src/simulators/tsa';
import { loginWithCoss, signAsNurse } from './support/coss-login';
import { parseSamples, valueOf } from './support/prometheus';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

const READ = 'metrics-read-key-000001';
const ADMIN = 'metrics-admin-key-00001';
const API_KEYS = JSON.stringify([
  { id: 'docs', key: READ, scopes: ['read'] },
  { id: 'prometheus', key: ADMIN, scopes: ['admin'] },
]);

const FAMILIES = [
  'http_request_duration_seconds',
  'ca_vendor_request_duration_seconds',
  'ca_logins_total',
  'ca_signatures_total',
  'ca_pending_jobs',
  'ca_sse_watchers',
  'ca_event_listener_errors_total',
  'ca_timestamps_total',
  'ca_audit_entries_total',
  'process_cpu_user_seconds_total',
  'nodejs_eventloop_lag_seconds',
];

describe('Prometheus metrics', () => {
  let coss: CossSimulator;
  let anhui: AnhuiSimulator;
  let t: TestApp;

  beforeAll(async () => {
    [coss, anhui] = await Promise.all([CossSimulator.start({ port: 0 }), AnhuiSimulator.start({ port: 0 })]);
    t = await startTestApp({
      API_KEYS,
      METRICS_PORT: '0',
      COSS_BASE_URL: coss.url,
      ANHUI_SCAN_BASE_URL: anhui.url,
      CA_PROVIDERS: 'coss,anhui',
      CA_POLL_INTERVAL_MS: '100',
    });
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([coss?.stop(), anhui?.stop()]);
  });

  const scrape = async (): Promise<string> => {
    const res = await request(t.http).get('/metrics').set('authorization', `Bearer ${ADMIN}`);
    expect(res.status).toBe(200);
    return res.text;
  };
  const value = async (name: string, labels: Record<string, string> = {}) => valueOf(await scrape(), name, labels);
  const until = (name: string, labels: Record<string, string>, done: (v: number) => boolean) =>
    waitFor(() => value(name, labels), done, 5_000, 50);

  it('needs an admin key on the API port: none is 401, a read key 403, an admin key gets every family', async () => {
    const none = await request(t.http).get('/metrics');
    expect(none.status).toBe(401);
    expect(none.body.error.type).toBe('API_KEY_REQUIRED');
    const read = await request(t.http).get('/metrics').set('authorization', `Bearer ${READ}`);
    expect(read.status).toBe(403);
    expect(read.body.error).toMatchObject({ type: 'SCOPE_REQUIRED', scope: 'admin' });

    const admin = await request(t.http).get('/metrics').set('authorization', `Bearer ${ADMIN}`);
    expect(admin.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const family of FAMILIES) expect(admin.text).toContain(`# TYPE ${family} `);
  });

  it('serves METRICS_PORT without a key on 127.0.0.1 only, and nothing else there', async () => {
    const address = t.app.get(LoopbackMetricsServer).address!;
    expect(address.address).toBe('127.0.0.1');
    const get = (path: string, method = 'GET') =>
      new Promise<{ status: number; type: string; text: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: address.port, path, method }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), text }));
        });
        req.on('error', reject).end();
      });
    const open = await get('/metrics');
    expect(open.status).toBe(200);
    expect(open.type).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const family of FAMILIES) expect(open.text).toContain(`# TYPE ${family} `);
    expect((await get('/windranger/doc/ca/records')).status).toBe(404);
    expect((await get('/metrics', 'POST')).status).toBe(404);
  });

  it('labels requests by route template, never by raw path or id; unknown paths share one label', async () => {
    const doc = await request(t.http)
      .get('/windranger/doc/document/DOC-SECRET-4711')
      .set('authorization', `Bearer ${READ}`);
    expect(doc.status).toBe(404);
    expect((await request(t.http).get('/no/such/path-0815')).status).toBe(404);
    const text = await scrape();
    expect(text).not.toContain('DOC-SECRET-4711');
    expect(text).not.toContain('path-0815');
    const route = { route: '/windranger/doc/:type/:id', method: 'GET', status: '404' };
    expect(valueOf(text, 'http_request_duration_seconds_count', route)).toBe(1);
    expect(valueOf(text, 'http_request_duration_seconds_count', { ...route, route: 'unmatched' })).toBe(1);
    const routes = new Set(
      parseSamples(text)
        .filter((s) => s.name === 'http_request_duration_seconds_count')
        .map((s) => s.labels.route),
    );
    for (const label of routes) expect(label === 'unmatched' || label.startsWith('/')).toBe(true);
    expect(routes).toContain('/metrics');
  });

  it('counts a login and its vendor calls, a pending login and an SSE watcher while it is open', async () => {
    const finished = { vendor: 'coss', outcome: 'FINISH' };
    const startCall = { vendor: 'coss', operation: 'startAutoSign', outcome: 'OK' };
    const logins = await value('ca_logins_total', finished);
    const calls = await value('ca_vendor_request_duration_seconds_count', startCall);
    const pending = await value('ca_pending_jobs', { kind: 'login' });

    const started = await request(t.http).post('/coss/service/v1/startAutoSign').send({ userId: '', timeRegion: 60 });
    expect(started.status).toBe(200);
    expect(await value('ca_pending_jobs', { kind: 'login' })).toBe(pending + 1);
    expect(await value('ca_vendor_request_duration_seconds_count', startCall)).toBe(calls + 1);

    expect(await value('ca_sse_watchers')).toBe(0);
    const stream = httpRequest(
      `${await t.app.getUrl()}/coss/service/v1/signResult/${started.body.data.signDataId}/events`,
    );
    stream.on('error', () => undefined).end();
    await until('ca_sse_watchers', {}, (v) => v === 1);
    stream.destroy();
    await until('ca_sse_watchers', {}, (v) => v === 0);
    const timed = parseSamples(await scrape()).filter((s) => s.name === 'http_request_duration_seconds_count');
    expect(timed.filter((s) => s.labels.route.endsWith('/events'))).toEqual([]);

    await loginWithCoss(t, coss, 'M001');
    await until('ca_logins_total', finished, (v) => v === logins + 1);
  });

  it('counts a signature by vendor and status, and a failed vendor call by its error type', async () => {
    const nurse = await loginWithCoss(t, coss, 'M002');
    const signed = { vendor: 'coss', status: 'SIGNED' };
    const before = await value('ca_signatures_total', signed);
    const pending = await value('ca_pending_jobs', { kind: 'sign' });
    coss.faults.add({ operation: 'autoSign', kind: 'timeout', delayMs: 1_000, times: 1 });
    const signing = signAsNurse(t, nurse, { id: 'MET-1', note: 'metrics' }).then((res) => res);
    await until('ca_pending_jobs', { kind: 'sign' }, (v) => v === pending + 1);
    expect((await signing).status).toBe(200);
    await until('ca_signatures_total', signed, (v) => v === before + 1);
    expect(await value('ca_pending_jobs', { kind: 'sign' })).toBe(pending);
    expect(
      await value('ca_vendor_request_duration_seconds_count', { vendor: 'coss', operation: 'autoSign', outcome: 'OK' }),
    ).toBeGreaterThanOrEqual(1);

    const bad = { vendor: 'coss', operation: 'startAutoSign', outcome: 'VENDOR_BAD_RESPONSE' };
    const failures = await value('ca_vendor_request_duration_seconds_count', bad);
    coss.faults.add({ operation: 'startAutoSign', kind: 'http-error', status: 502, times: 1 });
    const refused = await request(t.http).post('/coss/service/v1/startAutoSign').send({ userId: '', timeRegion: 60 });
    expect(refused.status).toBe(502);
    expect(await value('ca_vendor_request_duration_seconds_count', bad)).toBe(failures + 1);
  });

  it('counts timestamp requests by outcome and audit entries by type', async () => {
    const nurse = await loginWithCoss(t, coss, 'M003');
    const tsa = t.app.get<TsaSimulator>(TSA_IN_PROCESS_SIMULATOR);
    const granted = await value('ca_timestamps_total', { outcome: 'granted' });
    const retry = await value('ca_timestamps_total', { outcome: 'retry' });
    const signedEntries = await value('ca_audit_entries_total', { type: 'RecordSigned' });

    tsa.faults.add({ kind: 'down', times: 1 });
    expect((await signAsNurse(t, nurse, { id: 'MET-TS-1' })).status).toBe(200);
    await until('ca_timestamps_total', { outcome: 'retry' }, (v) => v === retry + 1);
    expect((await signAsNurse(t, nurse, { id: 'MET-TS-2' })).status).toBe(200);
    await until('ca_timestamps_total', { outcome: 'granted' }, (v) => v >= granted + 1);
    // Each signature's RecordSigned transition reaches the chain through the outbox drain (every second); an earlier
    // test's signature may still be on its way, so at least these two.
    await until('ca_audit_entries_total', { type: 'RecordSigned' }, (v) => v >= signedEntries + 2);
  });

  it('counts a pending operation (Anhui) and the failures of event listeners', async () => {
    const pending = await value('ca_pending_jobs', { kind: 'operation' });
    const initMessage = { vendor: 'anhui', operation: '/initMessage', outcome: 'OK' };
    const calls = await value('ca_vendor_request_duration_seconds_count', initMessage);
    const started = await request(t.http).post('/ca/operations/encrypt').send({ plaintext: 'metrics' });
    expect(started.status).toBe(200);
    expect(await value('ca_pending_jobs', { kind: 'operation' })).toBe(pending + 1);
    expect(await value('ca_vendor_request_duration_seconds_count', initMessage)).toBe(calls + 1);

    const errors = await value('ca_event_listener_errors_total');
    const subscription = t.app.get(EventBus).on('LoginStarted', () => {
      throw new Error('a listener bug');
    });
    try {
      expect(
        (await request(t.http).post('/coss/service/v1/startAutoSign').send({ userId: '', timeRegion: 60 })).status,
      ).toBe(200);
      await until('ca_event_listener_errors_total', {}, (v) => v === errors + 1);
    } finally {
      subscription.unsubscribe();
    }
  });
});
