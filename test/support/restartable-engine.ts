import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/** Engines that keep their data in files, so that a restart can be tested: FerretDB (SQLite), mongo-java-server (H2). */
export type RestartableEngineName = 'ferretdb' | 'mongo-java-server';

const SCRIPTS: Record<RestartableEngineName, { start: string; prefix: string; env: Record<string, string> }> = {
  ferretdb: { start: 'scripts/ferretdb-start.sh', prefix: 'FERRETDB', env: {} },
  'mongo-java-server': {
    start: 'scripts/mongo-java-server-start.sh',
    prefix: 'MONGO_JAVA_SERVER',
    env: { MONGO_JAVA_SERVER_BACKEND: 'h2' },
  },
};

/** The engine named by MNIS_RESTART_ENGINE, if any (the restart specs skip visibly without one). */
export function restartableEngineName(): RestartableEngineName | undefined {
  const name = process.env.MNIS_RESTART_ENGINE;
  if (name === undefined || name === '') return undefined;
  if (name in SCRIPTS) return name as RestartableEngineName;
  throw new Error(`MNIS_RESTART_ENGINE must be one of ${Object.keys(SCRIPTS).join(', ')}, not '${name}'`);
}

/** A server process started by the project's scripts, which the test can stop and start again on the same files. */
export class RestartableEngine {
  private vars: Record<string, string> = {};

  private constructor(readonly name: RestartableEngineName) {}

  static async start(name: RestartableEngineName): Promise<RestartableEngine> {
    const engine = new RestartableEngine(name);
    await engine.launch({});
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
      stdout
        .split('\n')
        .map((line) => /^([A-Z_]+)=(.*)$/.exec(line))
        .flatMap((m) => (m ? [[m[1], m[2].replace(/^'(.*)'$/, '$1')]] : [])),
    );
    if (!this.uri) throw new Error(`${start} printed no MONGODB_URI: ${stdout}`);
  }
}

/** `it` when MNIS_RESTART_ENGINE names an engine, else a visibly skipped test whose name says why. */
export function itWithRestartableEngine(name: string, fn: jest.ProvidesCallback, timeout?: number): void {
  if (restartableEngineName()) it(name, fn, timeout);
  else
    it.skip(
      `${name} [SKIPPED: no restartable engine; set MNIS_RESTART_ENGINE=ferretdb or mongo-java-server]`,
      fn,
      timeout,
    );
}
