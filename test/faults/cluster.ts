import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { loginNurses, Nurse } from '../../bench/nurses';
import { killAllNow, logTail, stopAll, stopChild } from '../../bench/processes';
import { Gateway, Simulator, startGateway, startSimulator } from '../../bench/stack';
import { sharedEngine, SharedEngine } from './engine';

/** Short enough for a suite of a few minutes, long enough that no healthy attempt outlives its lease. */
export const SETTINGS = {
  pollIntervalMs: 1000,
  signLeaseMs: 6000,
  recoveryIntervalMs: 2000,
  vendorTimeoutMs: 3000,
  databaseTimeoutMs: 1500,
};

const GATEWAY_ENV = {
  CA_POLL_INTERVAL_MS: String(SETTINGS.pollIntervalMs),
  CA_SIGN_LEASE_MS: String(SETTINGS.signLeaseMs),
  CA_RECOVERY_INTERVAL_MS: String(SETTINGS.recoveryIntervalMs),
  COSS_TIMEOUT_MS: String(SETTINGS.vendorTimeoutMs),
  MONGODB_TIMEOUT_MS: String(SETTINGS.databaseTimeoutMs),
  LOG_LEVEL: 'error',
};

/** The database, the COSS simulator and three production-mode gateways, each its own process, on loopback. */
export class Cluster {
  readonly gateways: Gateway[] = [];
  nurses: Nurse[] = [];
  private connection?: mongoose.Connection;

  private constructor(
    readonly engine: SharedEngine,
    readonly sim: Simulator,
    readonly dbName: string,
    readonly logDir: string,
  ) {}

  static async start(gatewayCount: number, nurseCount: number): Promise<Cluster> {
    const logDir = mkdtempSync(join(tmpdir(), 'mnis-faults-'));
    process.on('exit', killAllNow);
    const engine = sharedEngine();
    const sim = await startSimulator(logDir, { COSS_SIM_JOURNAL_SIZE: '20000' });
    const cluster = new Cluster(engine, sim, `mnis_faults_${randomBytes(4).toString('hex')}`, logDir);
    // One gateway first, so that the database and its indexes exist before the others start.
    await cluster.startGateway(0);
    await Promise.all(Array.from({ length: gatewayCount - 1 }, (_, i) => cluster.startGateway(i + 1)));
    cluster.nurses = await loginNurses(cluster.gateways[0].url, sim.url, nurseCount, `FN${cluster.dbName.slice(-6)}`);
    return cluster;
  }

  async startGateway(index: number): Promise<Gateway> {
    const previous = this.gateways[index];
    const gateway = await startGateway({
      db: { uri: this.engine.uri, description: this.engine.description, clientOptions: this.engine.clientOptions },
      dbName: this.dbName,
      sim: this.sim,
      logDir: this.logDir,
      name: `gateway-${index}`,
      env: GATEWAY_ENV,
      port: previous ? Number(new URL(previous.url).port) : undefined,
    });
    this.gateways[index] = gateway;
    return gateway;
  }

  async kill(index: number): Promise<void> {
    await stopChild(this.gateways[index].child, 0, 'SIGKILL');
  }

  /** Every gateway still running; a dead one fails the scenario with its log. */
  assertAlive(): void {
    for (const [i, g] of this.gateways.entries()) {
      const p = g.child.process;
      if (p.exitCode !== null || p.signalCode !== null)
        throw new Error(`gateway-${i} exited (${p.exitCode ?? p.signalCode})\n${logTail(g.child, 40)}`);
    }
  }

  async db(): Promise<mongoose.Connection> {
    this.connection ??= await mongoose
      .createConnection(this.engine.uri, { ...this.engine.clientOptions, dbName: this.dbName })
      .asPromise();
    return this.connection;
  }

  /** The simulator's /sim/ control routes (faults, journal). */
  async control<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.sim.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async stop(failed: boolean): Promise<void> {
    await this.connection?.dropDatabase().catch(() => undefined);
    await this.connection?.close();
    await stopAll();
    if (failed) process.stderr.write(`[faults] logs kept in ${this.logDir}\n`);
    else rmSync(this.logDir, { recursive: true, force: true });
  }
}
