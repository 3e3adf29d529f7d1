import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
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
const GATEWAY_VARIABLES =
  /^(NODE_ENV|PORT|HOST|BODY_LIMIT_BYTES|LOG_LEVEL|MONGODB_|CA_|COSS_|ANHUI_|API_KEYS|CORS_|TRUST_PROXY|TLS_|JSON_|DOCS_|DEFAULT_LOCALE|TSA_|CRL_|AUDIT_|LOGIN_|ALLOW_)/;

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

export interface TsaSimulatorProcess {
  /** The SM2 TSA (SM3 imprints, as GM/T 0033 asks): the gateway's TSA_URL. */
  url: string;
  child: Child;
  /** Both simulator roots in one PEM file: the gateway's TSA_TRUSTED_ROOTS. */
  rootsPath: string;
  /** Requests the simulator has received on its TSA paths so far, counted in its own process. */
  received(): Promise<number>;
}

/** The TSA simulator (`src/simulators/tsa/main.ts`) as its own process, so that its work is not the gateway's. */
export async function startTsaSimulator(logDir: string): Promise<TsaSimulatorProcess> {
  const port = await freePort();
  const child = spawnChild('tsa-simulator', ['-r', 'ts-node/register/transpile-only', 'src/simulators/tsa/main.ts'], {
    env: { ...baseEnv(), NODE_ENV: 'development', TSA_SIM_PORT: String(port), TSA_SIM_HOST: '127.0.0.1' },
    logDir,
  });
  // In production the TSA is another machine; here it shares the gateway's 2 cores, so it runs at a lower priority
  // (nice 10) and its signing does not pass for the gateway's latency. Its CPU per signature is still reported.
  setPriority(child.process.pid!, 10);
  const base = `http://127.0.0.1:${port}`;
  await waitForOk(`${base}/sim/ca`, child, process.hrtime.bigint(), 60_000);
  const { rootsPem } = (await (await fetch(`${base}/sim/ca`)).json()) as { rootsPem: string };
  const rootsPath = join(logDir, 'tsa-sim-roots.pem');
  writeFileSync(rootsPath, rootsPem);
  const received = async () => ((await (await fetch(`${base}/sim/stats`)).json()) as { received: number }).received;
  return { url: `${base}/tsa/sm2`, child, rootsPath, received };
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
/** The `read` key of the gateways this harness starts (records, documents, verify), new for every process. */
export const BENCH_READ_KEY = randomBytes(24).toString('hex');

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
    // Timestamps off: the bench measures the signing path alone (the stamper works off it).
    TSA_DISABLED: 'true',
    COSS_APP_SECRET: BENCH_COSS_APP_SECRET,
    // A trial against the simulator on loopback: production refuses plain http and the simulator's test CA without
    // these explicit switches (each warned at every start).
    ALLOW_INSECURE_VENDOR_HTTP: 'true',
    ALLOW_SIMULATOR_CA_ROOTS: 'true',
    // Every bench nurse logs in from 127.0.0.1; the per-address login limits would otherwise refuse the load.
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_MAX_PENDING_PER_ADDRESS: '10000',
    LOG_LEVEL: 'warn',
    // Production refuses plain HTTP unless TLS ends at a listed proxy, and starts only with API keys.
    TRUST_PROXY: '127.0.0.1',
    API_KEYS: JSON.stringify([{ id: 'bench', key: BENCH_READ_KEY, scopes: ['read'] }]),
    // Production refuses to start without the audit chain's key.
    AUDIT_HMAC_KEY: randomBytes(32).toString('hex'),
    AUDIT_HMAC_KEY_ID: 'bench-1',
    ...options.env,
  };
  const spawnedAt = process.hrtime.bigint();
  const child = spawnChild(options.name ?? 'gateway', [...profiling, 'dist/main.js'], { env, logDir: options.logDir });
  const url = `http://127.0.0.1:${port}`;
  const startupMs = await waitForOk(`${url}/health`, child, spawnedAt, 60_000);
  return { url, child, startupMs, spawnedAt };
}
