import Fastify, { FastifyError, FastifyInstance } from 'fastify';
import { AddressInfo } from 'node:net';
import { CossOperation } from '../../ca/vendors/coss/coss.wire';
import { registerControlRoutes } from './coss-sim.control';
import { cossBadParameters, cossFailure } from './coss-sim.envelope';
import { CossSimFaults } from './coss-sim.faults';
import { CossSimJournal, JournalEntry } from './coss-sim.journal';
import { SimNurses } from './coss-sim.nurses';
import { CossSimOperations } from './coss-sim.operations';
import { CossSimulatorOptions, resolveCossSimulatorOptions } from './coss-sim.options';
import { registerCossRoutes } from './coss-sim.routes';
import { CossSimState } from './coss-sim.state';
import { VirtualPhone } from './virtual-phone';

const BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/** A COSS v1 vendor on loopback HTTP, for tests and for running the gateway without a vendor. */
export class CossSimulator {
  readonly faults = new CossSimFaults();

  private readonly stopping = new AbortController();
  private baseUrl = '';

  private constructor(
    private readonly app: FastifyInstance,
    private readonly journal: CossSimJournal,
    readonly nurses: SimNurses,
    readonly phone: VirtualPhone,
    private latencyMs: number,
  ) {}

  static async start(options: CossSimulatorOptions = {}): Promise<CossSimulator> {
    const resolved = resolveCossSimulatorOptions(options);
    const nurses = await SimNurses.create(resolved.hospitalName, resolved.clock);
    const state = new CossSimState(resolved.jobTtlMs, resolved.clock);
    const phone = new VirtualPhone(state, nurses, resolved);
    const app = Fastify({
      logger: false,
      forceCloseConnections: true,
      bodyLimit: BODY_LIMIT_BYTES,
    });
    const sim = new CossSimulator(app, new CossSimJournal(resolved.journalSize), nurses, phone, resolved.latencyMs);
    const operations = new CossSimOperations(state, nurses, {
      appId: resolved.appId,
      userId: resolved.userId,
      url: () => sim.url,
    });

    app.setErrorHandler((error: FastifyError, request, reply) => {
      const status = error.statusCode ?? 500;
      // The vendor routes keep their envelope even for unparseable requests.
      if (request.url.startsWith('/coss/')) {
        return reply.code(200).send(status < 500 ? cossBadParameters(error.message) : cossFailure(500, '系统内部错误'));
      }
      return reply.code(status).send({ error: error.message });
    });
    registerCossRoutes(app, {
      operations,
      faults: sim.faults,
      journal: sim.journal,
      appSecret: resolved.appSecret,
      latencyMs: () => sim.latencyMs,
      stopping: sim.stopping.signal,
      log: resolved.log ? logLine : undefined,
    });
    registerControlRoutes(app, {
      phone,
      nurses,
      faults: sim.faults,
      journal: sim.journal,
      setLatency: (ms) => sim.setLatency(ms),
    });

    await app.listen({ port: resolved.port, host: resolved.host });
    const { address, port } = app.server.address() as AddressInfo;
    sim.baseUrl = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
    return sim;
  }

  /** `http://host:port`, without a trailing slash. */
  get url(): string {
    return this.baseUrl;
  }

  get rootCertificateDer(): Buffer {
    return this.nurses.rootCertificateDer;
  }

  /** Bodies of the last `journalSize` (100) requests to the operation, oldest first. */
  requests(operation: CossOperation): JournalEntry[] {
    return this.journal.requests(operation);
  }

  clearRequests(): void {
    this.journal.clear();
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.app.close();
  }
}

function logLine(entry: { operation: CossOperation; status: string | number }): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), source: 'coss-simulator', ...entry })}\n`);
}
