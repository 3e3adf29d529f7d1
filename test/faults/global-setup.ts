import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultEngine, startFaultEngine } from './engine';

const ROOT = join(__dirname, '..', '..');

/** Builds the gateway when needed and starts (or finds) the database for the whole run; the tests read it from env. */
export default async function globalSetup(): Promise<void> {
  buildIfStale();
  const logDir = mkdtempSync(join(tmpdir(), 'mnis-faults-db-'));
  const engine = await startFaultEngine(logDir);
  (globalThis as { __FAULTS_ENGINE__?: FaultEngine }).__FAULTS_ENGINE__ = {
    ...engine,
    stop: () => engine.stop().finally(() => rmSync(logDir, { recursive: true, force: true })),
  };
  const { stop: _stop, ...shared } = engine;
  process.env.FAULTS_ENGINE = JSON.stringify(shared);
  process.stderr.write(`\n[faults] database: ${engine.description}${engine.pid ? `, pid ${engine.pid}` : ''}\n`);
}

/** The suite runs `node dist/main.js`: rebuild when any source or build setting is newer than the build. */
function buildIfStale(): void {
  const built = mtime(join(ROOT, 'dist', 'main.js'));
  const sources = ['nest-cli.json', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((f) =>
    mtime(join(ROOT, f)),
  );
  const newest = Math.max(newestIn(join(ROOT, 'src')), ...sources);
  if (built >= newest) return;
  process.stderr.write(`\n[faults] dist/ is ${built ? 'older than the sources' : 'missing'}: nest build\n`);
  const result = spawnSync('npx', ['nest', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`nest build failed (exit ${result.status})`);
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function newestIn(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : mtime(path));
  }
  return newest;
}
