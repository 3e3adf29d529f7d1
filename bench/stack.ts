import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectMongoEngine } from '../src/database/mongo-engine';
import { Child, firstLine, freePort, spawnChild, waitForOk } from './processes';

export interface Database {
  uri: string;
  description: string;
  clientOptions: Record<string, unknown>;
  /** The embedded engine's process; absent for MONGODB_URI. */
  child?: Child;
  /** A pid to meter (the embedded engine, or FERRETDB_PID / MONGO_JAVA_SERVER_PID when the caller sets it). */
  pid?: number;
}

/** Environment variables the gateway validates; the bench sets the ones it needs and inherits none of them. */
const GATEWAY_VARIABLES = /^(NODE_ENV|PORT|HOST|BODY_LIMIT_BYTES|LOG_LEVEL|MONGODB_|CA_|COSS_|ANHUI_|LOGIN_|ALLOW_)/;

function baseEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !GATEWAY_VARIABLES.test(name)));
  delete env.NODE_OPTIONS;
  return env;
}

/** The server at `uri` (MONGODB_URI by default; empty: none), else the embedded engine in its own process. */
export async function startDatabase(
  logDir: string,
  uri = process.env.MONGODB_URI,
  pid = Number(process.env.FERRETDB_PID ?? process.env.MONGO_JAVA_SERVER_PID) || undefined,
): Promise<Database> {
  if (uri) {
    const engine = await selectMongoEngine({ uri, log: { log: () => undefined, warn: () => undefined } });
    return { uri, description: engine.describe(), clientOptions: engine.clientOptions as Record<string, unknown>, pid };
  }
  const child = spawnChild('embedded-db', ['-r', 'ts-node/register/transpile-only', 'bench/embedded-db.ts'], {
    env: { ...baseEnv(), NODE_ENV: 'development' },
    logDir,
    pipeStdout: true,
  });
  const line = await firstLine(child, 120_000);
  const info = JSON.parse(line) as { uri: string; description: string; clientOptions: Record<string, unknown> };
  return { ...info, description: `${info.description} [embedded, own process]`, child, pid: child.process.pid };
}

export interface Simulator {
  url: string;
  child: Child;
  rootCertificatePath: string;
}

/** The secret the bench's simulator and gateway share: production requires COSS_APP_SECRET. */
const BENCH_COSS_APP_SECRET = 'bench-coss-app-secret';

/** The COSS simulator as its own process, no added latency; its CA root becomes the gateway's trusted root. */
export async function startSimulator(logDir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Simulator> {
  const port = await freePort();
  const built = 'dist/simulators/coss/main.js';
  const args = existsSync(built) ? [built] : ['-r', 'ts-node/register/transpile-only', 'src/simulators/coss/main.ts'];
  const child = spawnChild('coss-simulator', args, {
    env: {
      ...baseEnv(),
      NODE_ENV: 'development',
      COSS_SIM_PORT: String(port),
      COSS_SIM_HOST: '127.0.0.1',
      COSS_SIM_LATENCY_MS: '0',
      COSS_SIM_APP_SECRET: BENCH_COSS_APP_SECRET,
      ...extraEnv,
    },
    logDir,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForOk(`${url}/sim/ca`, child, process.hrtime.bigint(), 60_000);
  const { rootCertificate } = (await (await fetch(`${url}/sim/ca`)).json()) as { rootCertificate: string };
  const rootCertificatePath = join(logDir, 'coss-sim-root.der');
  writeFileSync(rootCertificatePath, Buffer.from(rootCertificate, 'base64'));
  return { url, child, rootCertificatePath };
}

export interface Gateway {
  url: string;
  child: Child;
  startupMs: number;
  spawnedAt: bigint;
}

export interface GatewayOptions {
  db: Database;
  dbName: string;
  sim: Simulator;
  logDir: string;
  /** Directory for `node --cpu-prof`; the gateway must then be stopped with SIGUSR2. */
  cpuProfileDir?: string;
  /** Log file name, for several gateways side by side (default `gateway`). */
  name?: string;
  /** Gateway settings on top of the bench's. */
  env?: NodeJS.ProcessEnv;
  /** Listen on this port (a restarted gateway keeps its address); a free one when absent. */
  port?: number;
}

/** `node dist/main.js` in production mode, as deployed; start-up is measured from spawn to the first /health 200. */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const port = options.port ?? (await freePort());
  const profiling = options.cpuProfileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, '-r', './bench/exit-on-signal.js']
    : [];
  const env = {
    ...baseEnv(),
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    MONGODB_URI: options.db.uri,
    MONGODB_DB: options.dbName,
    CA_PROVIDERS: 'coss',
    COSS_BASE_URL: options.sim.url,
    COSS_TRUSTED_ROOTS: options.sim.rootCertificatePath,
    // Production refuses to start without a TSA; the timestamp job is not wired into signing yet.
    TSA_DISABLED: 'true',
    COSS_APP_SECRET: BENCH_COSS_APP_SECRET,
    // A trial against the simulator on loopback: production refuses plain http without this explicit switch.
    ALLOW_INSECURE_VENDOR_HTTP: 'true',
    // Every bench nurse logs in from 127.0.0.1; the per-address login limits would otherwise refuse the load.
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_MAX_PENDING_PER_ADDRESS: '10000',
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const spawnedAt = process.hrtime.bigint();
  const child = spawnChild(options.name ?? 'gateway', [...profiling, 'dist/main.js'], { env, logDir: options.logDir });
  const url = `http://127.0.0.1:${port}`;
  const startupMs = await waitForOk(`${url}/health`, child, spawnedAt, 60_000);
  return { url, child, startupMs, spawnedAt };
}
