import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { testEngine } from './engine';

const ROOT = join(__dirname, '..', '..');
/** Inside node_modules, so that the built files resolve their packages; ignored by git. */
const BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'mnis-e2e-build');

/**
 * Compiles the gateway as `npm run build:dev` does (tsconfig.dev.json: with the embedded simulators, which a process
 * outside production loads), into a directory of the specs' own.
 */
export function buildGateway(): string {
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.dev.json', '--outDir', BUILD_DIR],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  const main = join(BUILD_DIR, 'main.js');
  if (!existsSync(main)) throw new Error(`the build wrote no ${main}`);
  return main;
}

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  /** Every stdout line so far, parsed when it is JSON (pino), else as { msg }. */
  lines: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  stop(): Promise<void>;
}

/** Starts the built gateway as its own process on the test engine and waits for its "listening on" line. */
export async function startGatewayProcess(main: string, env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      MONGODB_URI: testEngine().uri,
      MONGODB_DB: `p_${randomBytes(5).toString('hex')}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    let cut: number;
    while ((cut = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, cut);
      pending = pending.slice(cut + 1);
      try {
        lines.push(JSON.parse(line));
      } catch {
        lines.push({ msg: line });
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const deadline = Date.now() + 60_000;
  let url: string | undefined;
  while (!url) {
    url = lines.map((l) => /listening on (https?:\/\/[^\s]+)/.exec(String(l.msg))?.[1]).find(Boolean);
    if (child.exitCode !== null) throw new Error(`the gateway exited at start: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`the gateway did not start within 60 s: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    child,
    url,
    lines,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
