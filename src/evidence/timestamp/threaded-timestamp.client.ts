import { existsSync } from 'fs';
import { join } from 'path';
import { Piscina } from 'piscina';
import { TimestampClient, TimestampClientOptions } from './timestamp.client';
import { failed, TimestampResult } from './timestamp.types';

/** What a worker is started with: the client's options, with the roots as DER (parsed certificates do not clone). */
export interface TimestampWorkerData extends Omit<TimestampClientOptions, 'trustedRoots' | 'clock'> {
  rootDers: Buffer[];
}

/** Compiled, the worker is JavaScript; from the sources (ts-jest, ts-node) it is loaded through ts-node. */
function workerFile(): { filename: string; execArgv: string[] } {
  const compiled = join(__dirname, 'timestamp.worker.js');
  if (existsSync(compiled)) return { filename: compiled, execArgv: [] };
  return {
    filename: join(__dirname, 'timestamp.worker.ts'),
    execArgv: ['--require', 'ts-node/register/transpile-only'],
  };
}

const WORKER_FAILED = failed('UNREACHABLE', 'the timestamp worker failed');

/**
 * A TimestampClient whose exchanges (the HTTP request, decoding the reply, the TSA signature and chain checks) run in
 * worker threads, so that they never hold up the requests on the gateway's event loop. A thread starts with the
 * first timestamp and ends after a minute without one.
 */
export class ThreadedTimestampClient extends TimestampClient {
  private readonly pool: Piscina;
  private closed = false;

  constructor(options: TimestampClientOptions, threads: number) {
    super(options);
    const { trustedRoots, clock: _clock, ...rest } = options;
    const workerData: TimestampWorkerData = { ...rest, rootDers: trustedRoots.map((root) => root.der) };
    this.pool = new Piscina({
      ...workerFile(),
      workerData,
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 60_000,
      niceIncrement: 10,
    });
  }

  override async timestamp(data: Buffer): Promise<TimestampResult> {
    // A stopped pool would start new threads: after shutdown, the timestamp stays PENDING for the next start.
    if (this.closed) return WORKER_FAILED;
    let result: TimestampResult;
    try {
      result = (await this.pool.run(data)) as TimestampResult;
    } catch {
      // A worker that died or could not start: the timestamp stays PENDING and is retried.
      return WORKER_FAILED;
    }
    // Structured cloning turns the token's Buffer into a plain Uint8Array.
    return result.ok ? { ok: true, token: { ...result.token, tokenDer: Buffer.from(result.token.tokenDer) } } : result;
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.pool.destroy();
  }
}
