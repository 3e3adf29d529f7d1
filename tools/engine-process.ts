import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');

/** MongoDB-wire servers started by the project's scripts (see docs/ferretdb.md and docs/mongo-java-server.md). */
export type EngineProcessName = 'ferretdb' | 'mongo-java-server' | 'mongo-java-server-h2';

const SCRIPTS: Record<EngineProcessName, { start: string; prefix: string; env: Record<string, string> }> = {
  ferretdb: { start: 'scripts/ferretdb-start.sh', prefix: 'FERRETDB', env: {} },
  'mongo-java-server': {
    start: 'scripts/mongo-java-server-start.sh',
    prefix: 'MONGO_JAVA_SERVER',
    env: { MONGO_JAVA_SERVER_BACKEND: 'memory' },
  },
  'mongo-java-server-h2': {
    start: 'scripts/mongo-java-server-start.sh',
    prefix: 'MONGO_JAVA_SERVER',
    env: { MONGO_JAVA_SERVER_BACKEND: 'h2' },
  },
};

export const ENGINE_PROCESS_NAMES = Object.keys(SCRIPTS) as EngineProcessName[];

/** A server process that can be stopped and started again on the same files and port. */
export class EngineProcess {
  private vars: Record<string, string> = {};

  private constructor(readonly name: EngineProcessName) {}

  /**
   * `restartable`: listen on a free port below the kernel's ephemeral range, so that while the server is stopped no
   * outgoing connection (the gateway's own reconnect attempts included) can be given its port.
   */
  static async start(name: EngineProcessName, options: { restartable?: boolean } = {}): Promise<EngineProcess> {
    const engine = new EngineProcess(name);
    const prefix = SCRIPTS[name].prefix;
    await engine.launch(options.restartable ? { [`${prefix}_PORT`]: String(await portBelowEphemeralRange()) } : {});
    return engine;
  }

  get uri(): string {
    return this.vars.MONGODB_URI;
  }

  get pid(): number {
    return Number(this.vars[`${SCRIPTS[this.name].prefix}_PID`]);
  }

  get startMs(): number {
    return Number(this.vars[`${SCRIPTS[this.name].prefix}_START_MS`]);
  }

  /** Stops it cleanly (SIGTERM, files closed); returns the stop time in ms. */
  async stop(): Promise<number> {
    const { stdout } = await run('bash', ['scripts/server-stop.sh', String(this.pid)], { cwd: ROOT });
    return Number(/STOP_MS=(\d+)/.exec(stdout)?.[1]);
  }

  /** Starts it again on the same folder and port. */
  async restart(): Promise<void> {
    const prefix = SCRIPTS[this.name].prefix;
    await this.launch({
      [`${prefix}_DIR`]: this.vars[`${prefix}_DIR`],
      [`${prefix}_PORT`]: this.vars[`${prefix}_PORT`],
    });
  }

  /** Stops it and removes its folder. */
  async remove(): Promise<void> {
    const dir = this.vars[`${SCRIPTS[this.name].prefix}_DIR`];
    await run('bash', ['scripts/server-stop.sh', String(this.pid), dir], { cwd: ROOT });
  }

  private async launch(env: Record<string, string>): Promise<void> {
    const { start, env: engineEnv } = SCRIPTS[this.name];
    const { stdout } = await run('bash', [start], {
      cwd: ROOT,
      env: { ...process.env, ...engineEnv, ...env },
      timeout: 60_000,
    });
    this.vars = Object.fromEntries(
      stdout.split('\n').flatMap((line) => {
        const m = /^([A-Z_]+)=(.*)$/.exec(line);
        return m ? [[m[1], m[2].replace(/^'(.*)'$/, '$1')]] : [];
      }),
    );
    if (!this.uri) throw new Error(`${start} printed no MONGODB_URI: ${stdout}`);
  }
}

async function portBelowEphemeralRange(): Promise<number> {
  let low = 32768;
  try {
    low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || low;
  } catch {
    // not Linux: keep the usual lower bound
  }
  const from = Math.max(1024, low - 12_000);
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = from + Math.floor(Math.random() * (low - from));
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port found below ${low}`);
}
