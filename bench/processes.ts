import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A child process in its own process group, so that stopping it also stops whatever it started. */
export interface Child {
  name: string;
  process: ChildProcess;
  logPath: string;
  exited: Promise<number | null>;
}

const children = new Set<Child>();

export interface SpawnOptions {
  env: NodeJS.ProcessEnv;
  logDir: string;
  /** Hand stdout to the caller (still copied to nothing else); stderr always goes to the log file. */
  pipeStdout?: boolean;
  cwd?: string;
}

export function spawnChild(name: string, args: string[], options: SpawnOptions): Child {
  const logPath = join(options.logDir, `${name}.log`);
  const log = openSync(logPath, 'a');
  const proc = spawn(process.execPath, args, {
    cwd: options.cwd ?? process.cwd(),
    env: options.env,
    detached: true,
    stdio: ['ignore', options.pipeStdout ? 'pipe' : log, log],
  });
  closeSync(log);
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );
  const child: Child = { name, process: proc, logPath, exited };
  children.add(child);
  void exited.then(() => children.delete(child));
  return child;
}

/** The first stdout line of a child, or an error naming its log when it exits first. */
export function firstLine(child: Child, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error(`${child.name}: no output within ${timeoutMs} ms\n${logTail(child)}`)),
      timeoutMs,
    );
    child.process.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\n');
      if (end >= 0) {
        clearTimeout(timer);
        resolve(buffered.slice(0, end));
      }
    });
    void child.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${child.name} exited with ${code} before it was ready\n${logTail(child)}`));
    });
  });
}

export function logTail(child: Child, lines = 30): string {
  try {
    return readFileSync(child.logPath, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((l) => `  | ${l}`)
      .join('\n');
  } catch {
    return '  | (no log)';
  }
}

/** SIGTERM to the process group, SIGKILL after `graceMs`. */
export async function stopChild(child: Child, graceMs = 5000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  signalGroup(child, signal);
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].reverse().map((child) => stopChild(child)));
}

/** Last resort from the 'exit' handler, where nothing asynchronous runs any more. */
export function killAllNow(): void {
  for (const child of children) signalGroup(child, 'SIGKILL');
}

function signalGroup(child: Child, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.process.pid!, signal);
  } catch {
    // Already gone.
  }
}

export { freePort } from '../src/database/mongo-engine';

/** Polls `url` until it answers 200; the milliseconds from `since` to that answer. */
export async function waitForOk(url: string, child: Child, since: bigint, deadlineMs: number): Promise<number> {
  const deadline = Date.now() + deadlineMs;
  let exitCode: number | null | undefined;
  void child.exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined)
      throw new Error(`${child.name} exited with ${exitCode} before ${url} answered\n${logTail(child)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) {
        await res.arrayBuffer();
        return Number(process.hrtime.bigint() - since) / 1e6;
      }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${deadlineMs} ms\n${logTail(child)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
