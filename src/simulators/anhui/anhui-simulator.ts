import Fastify, { FastifyError, FastifyInstance } from 'fastify';
import { AnhuiSimError } from './anhui-sim.errors';
import { AnhuiSimFaults } from './anhui-sim.faults';
import { AnhuiSimJournal, AnhuiSimRequestSummary } from './anhui-sim.journal';
import { ANHUI_SIM_DEFAULTS, AnhuiSimSettings, AnhuiSimulatorOptions, resolveSettings } from './anhui-sim.options';
import { registerControlRoutes } from './anhui-sim.control';
import { registerWireRoutes } from './anhui-sim.routes';
import { AnhuiScanService } from './anhui-sim.service';
import { AnhuiSimJobs } from './anhui-sim.state';
import { AnhuiSimTimers } from './anhui-sim.timers';
import { AnhuiSimTokens } from './anhui-sim.tokens';
import { AnhuiSimUsers } from './anhui-sim.users';
import { VirtualApp } from './virtual-app';

/**
 * The Anhui mobile scan service (seed 004) on loopback, with the CA's phone app built in: relying-party code talks
 * to it over real HTTP while tests (or a person, through /sim/) play the nurse holding the phone.
 */
export class AnhuiSimulator {
  readonly faults = new AnhuiSimFaults();
  readonly app: VirtualApp;
  private readonly journal = new AnhuiSimJournal();
  private readonly timers = new AnhuiSimTimers();
  private readonly tokens: AnhuiSimTokens;
  private readonly fastify: FastifyInstance;
  private address = '';

  private constructor(
    readonly users: AnhuiSimUsers,
    private readonly settings: AnhuiSimSettings,
  ) {
    this.tokens = new AnhuiSimTokens(settings.tokenTtlMs);
    const service = new AnhuiScanService(settings, this.tokens, new AnhuiSimJobs(settings.jobTtlMs), users);
    this.app = new VirtualApp(service, users, settings, this.timers);
    this.fastify = Fastify({ logger: false, forceCloseConnections: true });
    this.fastify.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    this.fastify.setErrorHandler((error: FastifyError | AnhuiSimError, _request, reply) => {
      const status = error instanceof AnhuiSimError ? error.statusCode : (error.statusCode ?? 500);
      return reply.code(status).send({ error: error.message });
    });
    registerWireRoutes(this.fastify, {
      service,
      faults: this.faults,
      journal: this.journal,
      timers: this.timers,
      tokens: this.tokens,
      settings,
    });
    registerControlRoutes(this.fastify, this);
  }

  static async start(options: AnhuiSimulatorOptions = {}): Promise<AnhuiSimulator> {
    const users = options.users ?? (await AnhuiSimUsers.create());
    const simulator = new AnhuiSimulator(users, resolveSettings(options));
    await simulator.listen(options.port ?? ANHUI_SIM_DEFAULTS.port, options.host ?? ANHUI_SIM_DEFAULTS.host);
    return simulator;
  }

  /** Base URL of the scan service, e.g. http://127.0.0.1:8702 (no trailing slash). */
  get url(): string {
    return this.address;
  }

  get caCertificates(): Buffer[] {
    return this.users.caCertificates;
  }

  get accountName(): string {
    return this.settings.accountName;
  }

  get latencyMs(): number {
    return this.settings.latencyMs;
  }

  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new AnhuiSimError(400, 'latency must be a number >= 0');
    this.settings.latencyMs = ms;
  }

  /** Every token granted so far stops working: the next call answers 401 and the client must grant again. */
  expireTokens(): void {
    this.tokens.revokeAll();
  }

  /** Scan-service requests received over HTTP, optionally of one operation ('/grantToken'). */
  requests(operation?: string): AnhuiSimRequestSummary {
    return this.journal.summary(operation);
  }

  clearRequests(): void {
    this.journal.clear();
  }

  async stop(): Promise<void> {
    this.timers.stop();
    await this.fastify.close();
  }

  private async listen(port: number, host: string): Promise<void> {
    await this.fastify.listen({ port, host });
    const bound = this.fastify.server.address();
    if (!bound || typeof bound === 'string') throw new AnhuiSimError(500, 'the simulator is not bound to a TCP port');
    const shownHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
    this.address = `http://${shownHost}:${bound.port}`;
  }
}
