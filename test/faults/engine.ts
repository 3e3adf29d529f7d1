import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { MongoCapabilities } from '../../src/database/mongo-capabilities';
import { selectMongoEngine } from '../../src/database/mongo-engine';
import { stopChild } from '../../bench/processes';
import { startDatabase } from '../../bench/stack';

const ROOT = join(__dirname, '..', '..');
const START_SCRIPT = join(ROOT, 'scripts', 'mongo-java-server-start.sh');
const STOP_SCRIPT = join(ROOT, 'scripts', 'server-stop.sh');
const run = promisify(execFile);

/** What the tests learn about the engine from the global setup. */
export type SharedEngine = Omit<FaultEngine, 'stop'>;

export function sharedEngine(): SharedEngine {
  const raw = process.env.FAULTS_ENGINE;
  if (!raw) throw new Error('the fault suite global setup did not run');
  return JSON.parse(raw) as SharedEngine;
}

export interface FaultEngine {
  uri: string;
  description: string;
  capabilities: MongoCapabilities;
  clientOptions: Record<string, unknown>;
  /** The engine's process, for SIGSTOP/SIGCONT; absent when the suite cannot freeze it. */
  pid?: number;
  /** Why the freeze scenario cannot run, when `pid` is absent. */
  noFreeze?: string;
  stop(): Promise<void>;
}

/**
 * The database under test, in this order: `MONGODB_URI` with its pid in `FAULTS_DB_PID` (or `MONGO_JAVA_SERVER_PID`,
 * `FERRETDB_PID`, as the start scripts print them); else mongo-java-server started by its script, when built; else
 * the embedded engine in a process of its own (no unique indexes: the scenarios that need them skip).
 */
export async function startFaultEngine(logDir: string): Promise<FaultEngine> {
  const uri = process.env.MONGODB_URI;
  if (uri) {
    const pid = pidFrom(process.env.FAULTS_DB_PID ?? process.env.MONGO_JAVA_SERVER_PID ?? process.env.FERRETDB_PID);
    return {
      ...(await probe(uri)),
      pid,
      noFreeze: pid ? undefined : 'MONGODB_URI is set without the engine pid (FAULTS_DB_PID or MONGO_JAVA_SERVER_PID)',
      stop: async () => undefined,
    };
  }
  if (existsSync(START_SCRIPT)) {
    const started = await run('bash', [START_SCRIPT], { cwd: ROOT }).catch((error: { stderr?: string }) => {
      process.stderr.write(`[faults] mongo-java-server did not start:\n${error.stderr ?? String(error)}\n`);
      return undefined;
    });
    if (started) {
      const vars = Object.fromEntries(
        started.stdout
          .split('\n')
          .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
          .filter((m): m is RegExpExecArray => m !== null)
          .map((m) => [m[1], m[2].replace(/^'(.*)'$/, '$1')]),
      );
      const pid = pidFrom(vars.MONGO_JAVA_SERVER_PID)!;
      const dir = vars.MONGO_JAVA_SERVER_DIR ?? '';
      const stop = async (): Promise<void> => void (await run('bash', [STOP_SCRIPT, String(pid), dir], { cwd: ROOT }));
      try {
        return { ...(await probe(vars.MONGODB_URI)), pid, stop };
      } catch (error) {
        await stop();
        throw error;
      }
    }
  }
  const embedded = await startDatabase(logDir);
  const engine = await probe(embedded.uri);
  return {
    ...engine,
    description: `${engine.description} [embedded, own process: mongo-java-server not available]`,
    pid: embedded.pid,
    stop: () => stopChild(embedded.child!),
  };
}

async function probe(uri: string) {
  const engine = await selectMongoEngine({ uri, log: { log: () => undefined, warn: () => undefined } });
  return {
    uri,
    description: engine.describe(),
    capabilities: engine.capabilities,
    clientOptions: engine.clientOptions as Record<string, unknown>,
  };
}

function pidFrom(raw: string | undefined): number | undefined {
  const pid = Number(raw);
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

/** Freezes the engine; the returned function thaws it, and an exit of this process thaws it too. */
export function freeze(pid: number): () => void {
  const thaw = (): void => {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // Gone already.
    }
  };
  process.once('exit', thaw);
  process.kill(pid, 'SIGSTOP');
  return () => {
    thaw();
    process.removeListener('exit', thaw);
  };
}
