import Fastify, { FastifyInstance } from 'fastify';
import { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { CertificateInfo } from '../../crypto/certificate';
import { KeyAlgorithm } from '../../crypto/constants';
import { TimestampClient, TimestampClientOptions } from '../../evidence/timestamp/timestamp.client';
import { TIMESTAMP_QUERY, TIMESTAMP_REPLY } from '../../evidence/timestamp/tsp.constants';
import { TsaSimAuthority } from './tsa-sim.authority';
import { parseTsaFault, TsaSimFaults } from './tsa-sim.faults';
import { respond } from './tsa-sim.responder';

export interface TsaSimulatorOptions {
  port?: number;
  host?: string;
  log?: boolean;
}

const PATHS: Readonly<Record<string, KeyAlgorithm>> = { '/tsa': 'SM2', '/tsa/sm2': 'SM2', '/tsa/rsa': 'RSA' };
const DEFAULT_SLOW_MS = 30_000;

/**
 * An RFC 3161 / GM/T 0033 TSA on loopback HTTP (SM2 at /tsa and /tsa/sm2, RSA at /tsa/rsa), with test keys:
 * NOT FOR PRODUCTION. Faults and a clock offset are set under /sim/ or through the methods.
 */
export class TsaSimulator {
  readonly faults = new TsaSimFaults();
  private readonly stopping = new AbortController();
  private baseUrl = '';
  private clockOffsetMs = 0;
  private answered = 0;
  private received = 0;

  private constructor(
    private readonly app: FastifyInstance,
    readonly authority: TsaSimAuthority,
  ) {}

  static async start(options: TsaSimulatorOptions = {}): Promise<TsaSimulator> {
    const authority = await TsaSimAuthority.create();
    const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 64 * 1024 });
    const sim = new TsaSimulator(app, authority);
    app.addContentTypeParser(TIMESTAMP_QUERY, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    for (const [path, algorithm] of Object.entries(PATHS)) {
      app.post(path, async (request, reply) => {
        sim.received += 1;
        if (!Buffer.isBuffer(request.body))
          return reply.code(415).send({ error: `content-type must be ${TIMESTAMP_QUERY}` });
        const fault = sim.faults.take();
        if (options.log) logLine({ algorithm, fault: fault?.kind ?? null });
        if (fault?.kind === 'down') {
          request.raw.socket.destroy();
          return reply.hijack();
        }
        if (fault?.kind === 'slow') {
          await sleep(fault.delayMs ?? DEFAULT_SLOW_MS, undefined, { signal: sim.stopping.signal }).catch(() => {});
        }
        sim.answered += 1;
        const body = respond(authority, algorithm, request.body, sim.now(), fault);
        return reply.header('content-type', TIMESTAMP_REPLY).send(body);
      });
    }
    app.get('/sim/ca', async () => ({ rootsPem: authority.rootsPem }));
    app.get('/sim/stats', async () => ({ received: sim.received, answered: sim.answered }));
    app.get('/sim/faults', async () => ({ faults: sim.faults.list() }));
    app.post('/sim/faults', async (request, reply) => {
      const parsed = parseTsaFault(request.body);
      if ('error' in parsed) return reply.code(400).send({ error: parsed.error });
      sim.faults.add(parsed.fault);
      return { ok: true, faults: sim.faults.list() };
    });
    app.delete('/sim/faults', async () => {
      sim.faults.clear();
      return { ok: true };
    });
    app.put('/sim/clock', async (request, reply) => {
      const offsetMs = (request.body as { offsetMs?: unknown } | null)?.offsetMs;
      if (!Number.isInteger(offsetMs)) return reply.code(400).send({ error: 'offsetMs must be an integer' });
      sim.setClockOffset(offsetMs as number);
      return { ok: true, offsetMs };
    });

    await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
    const { address, port } = app.server.address() as AddressInfo;
    sim.baseUrl = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
    return sim;
  }

  /** `http://host:port`, without a trailing slash. */
  get url(): string {
    return this.baseUrl;
  }

  urlFor(algorithm: KeyAlgorithm): string {
    return `${this.baseUrl}/tsa/${algorithm.toLowerCase()}`;
  }

  /** A client of this simulator's TSA with the given key, trusting its roots (SM3 imprints unless overridden). */
  client(algorithm: KeyAlgorithm, overrides: Partial<TimestampClientOptions> = {}): TimestampClient {
    return new TimestampClient({
      url: this.urlFor(algorithm),
      hash: 'sm3',
      timeoutMs: 5000,
      maxSkewSeconds: 60,
      trustedRoots: this.trustedRoots,
      ...overrides,
    });
  }

  /** Both roots; the gateway's TSA_TRUSTED_ROOTS when it runs against the simulator. */
  get trustedRoots(): CertificateInfo[] {
    return [this.authority.roots.SM2, this.authority.roots.RSA];
  }

  /** Requests to a TSA path, whatever became of them (dropped, rejected or answered). */
  get receivedCount(): number {
    return this.received;
  }

  /** Tokens answered (faults that drop the connection are not counted). */
  get requestCount(): number {
    return this.answered;
  }

  /** Shifts the simulated TSA clock, to provoke a genTime outside the gateway's tolerance. */
  setClockOffset(ms: number): void {
    this.clockOffsetMs = ms;
  }

  private now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.app.close();
  }
}

function logLine(entry: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), source: 'tsa-simulator', ...entry })}\n`);
}
