import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { CossSimulator } from '../src/simulators/coss/coss-simulator';
import { buildGateway, GatewayProcess, startGatewayProcess } from './support/gateway-process';
import { collectSse, SseEvent } from './support/sse';
import { waitFor } from './support/wait';

/** The built gateway as its own process, as it is deployed: what it logs, and how it stops. */
describe('The gateway process', () => {
  let main: string;
  let sim: CossSimulator;
  beforeAll(async () => {
    main = buildGateway();
    sim = await CossSimulator.start({ port: 0 });
  }, 240_000);
  afterAll(() => sim?.stop());
  afterEach(() => sim.faults.clear());

  const start = () => startGatewayProcess(main, { CA_PROVIDERS: 'coss', COSS_BASE_URL: sim.url });
  const accessLines = (gateway: GatewayProcess) => gateway.lines.filter((l) => l.msg === 'request completed');

  describe('access log', () => {
    let gateway: GatewayProcess;
    beforeAll(async () => {
      gateway = await start();
    }, 90_000);
    afterAll(() => gateway?.stop());

    it('carries the status sent and the time taken, and skips the health probes', async () => {
      sim.faults.add({ operation: 'startAutoSign', kind: 'timeout', delayMs: 400, times: 1 });
      const started = await request(gateway.url)
        .post('/coss/service/v1/startAutoSign')
        .set('x-request-id', 'slow-start')
        .send({ timeRegion: 5 });
      expect(started.status).toBe(200);
      await request(gateway.url).get('/health').expect(200);
      await request(gateway.url).get('/health/ready').expect(200);
      await request(gateway.url).post('/coss/service/v1/getSignResult').set('x-request-id', 'unknown').send({
        signDataId: 'SD_nope',
      });
      await request(gateway.url).trace('/health').set('x-request-id', 'traced');
      const lines = await waitFor(
        async () => accessLines(gateway),
        (found) => found.length >= 3,
      );
      const byId = (id: string) => lines.find((l) => (l.req as { id: string }).id === id);
      expect(byId('slow-start')).toMatchObject({
        level: 30,
        req: { method: 'POST', path: '/coss/service/v1/startAutoSign' },
        res: { statusCode: 200 },
        route: '/coss/service/v1/startAutoSign',
        ip: '127.0.0.1',
      });
      expect(byId('slow-start')!.responseTime).toBeGreaterThanOrEqual(400);
      expect(byId('unknown')).toMatchObject({ level: 40, res: { statusCode: 404 } });
      expect(byId('traced')).toMatchObject({ level: 40, req: { method: 'TRACE' }, res: { statusCode: 405 } });
      expect(lines.every((l) => typeof l.responseTime === 'number')).toBe(true);
      expect(lines.filter((l) => (l.req as { method: string }).method === 'GET')).toEqual([]);
    });
  });

  describe('production', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'mnis-prod-'));
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
        '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      ], { stdio: 'ignore' }); // prettier-ignore
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /**
     * A production vendor setting that no HTTP-boundary rule is about (the vendor is never called here); the RSA
     * certificate serves as the TLS certificate and as the vendor's trusted root.
     */
    const vendor = () => ({
      NODE_ENV: 'production',
      CA_PROVIDERS: 'coss',
      COSS_BASE_URL: 'https://127.0.0.1:9',
      COSS_APP_SECRET: 'coss-app-secret-0123456789',
      COSS_TRUSTED_ROOTS: join(dir, 'cert.pem'),
      TSA_DISABLED: 'true',
      AUDIT_HMAC_KEY: 'audit-key-for-the-process-spec-0123456789',
      AUDIT_HMAC_KEY_ID: 'spec-1',
    });

    it('refuses to start on plain HTTP, with CORS_ORIGINS=* and without API keys, naming each variable', async () => {
      const refused = await startGatewayProcess(main, { ...vendor(), CORS_ORIGINS: '*' }).then(
        async (gateway) => {
          await gateway.stop();
          return 'started';
        },
        (error: Error) => error.message,
      );
      expect(refused).toContain('API_KEYS or API_KEYS_FILE is required in production');
      expect(refused).toContain('CORS_ORIGINS=* is refused in production');
      expect(refused).toContain('TLS_CERT_FILE and TLS_KEY_FILE are required in production (or TRUST_PROXY');
    }, 60_000);

    it('serves HTTPS itself with TLS_CERT_FILE and TLS_KEY_FILE, with /docs off', async () => {
      const gateway = await startGatewayProcess(main, {
        ...vendor(),
        TLS_CERT_FILE: join(dir, 'cert.pem'),
        TLS_KEY_FILE: join(dir, 'key.pem'),
        API_KEYS: JSON.stringify([{ id: 'docs', key: 'read-secret-0123456789', scopes: ['read'] }]),
      });
      try {
        expect(gateway.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        const ca = readFileSync(join(dir, 'cert.pem'));
        const get = (path: string) => request(gateway.url).get(path).ca(ca);
        expect((await get('/health')).status).toBe(200);
        expect((await get('/docs-json')).status).toBe(404);
        expect((await get('/windranger/doc/ca/records?docId=D&type=document')).status).toBe(401);
      } finally {
        await gateway.stop();
      }
    }, 90_000);
  });

  describe('SIGTERM', () => {
    it('ends an open SSE stream with a final SHUTDOWN event, finishes an in-flight request and exits within 5 s', async () => {
      const gateway = await start();
      try {
        const started = await request(gateway.url).post('/coss/service/v1/startAutoSign').send({ timeRegion: 5 });
        const { signDataId } = started.body.data;
        const seen: SseEvent[] = [];
        const stream = collectSse(`${gateway.url}/coss/service/v1/signResult/${signDataId}/events`, 20_000, (e) =>
          seen.push(e),
        );
        await waitFor(
          async () => seen.length,
          (n) => n > 0,
        );
        sim.faults.add({ operation: 'startAutoSign', kind: 'timeout', delayMs: 1500, times: 1 });
        const inFlight = request(gateway.url).post('/coss/service/v1/startAutoSign').send({ timeRegion: 5 });
        const inFlightDone = inFlight.then((res) => res);
        await new Promise((resolve) => setTimeout(resolve, 300));

        const signalledAt = Date.now();
        gateway.child.kill('SIGTERM');
        const { events, status } = await stream;
        const exit = await gateway.exited;
        const tookMs = exit.at - signalledAt;

        expect(status).toBe(200);
        expect(events[events.length - 1]).toEqual({ event: 'end', data: { reason: 'SHUTDOWN' } });
        expect((await inFlightDone).status).toBe(200);
        expect(exit).toMatchObject({ code: 0, signal: null });
        expect(tookMs).toBeLessThan(5000);
        const said = gateway.lines.filter((l) => /shut down/.test(String(l.msg)));
        expect(said).toHaveLength(1);
        expect(said[0].msg).toMatch(/^SIGTERM: shut down in \d+ ms \(1 event streams ended\)$/);
        process.stderr.write(`[e2e] SIGTERM with one SSE stream and one in-flight request: exited in ${tookMs} ms\n`);
      } finally {
        await gateway.stop();
      }
    }, 90_000);
  });
});
