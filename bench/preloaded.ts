/**
 * `npm run bench:preloaded`: the cost of a signature on an empty collection and with 100,000 signature records already
 * stored, on each engine in turn (embedded CongoDB, FerretDB v1 on SQLite, mongo-java-server in memory), side by side.
 * None of these engines has `explain`, so there is no pass/fail bound: the figures show how each engine's lookups grow
 * with the collection (src/database/index-coverage.spec.ts checks the indexes real MongoDB would use).
 *
 *   BENCH_ENGINES      comma list of congodb,ferretdb,mongo-java-server (default: all three; FerretDB and
 *                      mongo-java-server must be built: scripts/ferretdb-build.sh, scripts/mongo-java-server-build.sh)
 *   BENCH_PRELOAD      records to pre-load (default 100000)
 *   BENCH_SECONDS (10) BENCH_WARMUP_SECONDS (2)  per measurement, one connection (a signature at a time)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { ENGINE_PROCESS_NAMES, EngineProcess, EngineProcessName } from '../tools/engine-process';
import { measure, Measured } from './autocannon';
import { nursingRecord } from './nursing-record';
import { loginNurses, postJson, signDocBody } from './nurses';
import { stopAll, stopChild } from './processes';
import { Database, startDatabase, startGateway, startSimulator } from './stack';

const ENGINES = (process.env.BENCH_ENGINES ?? 'congodb,ferretdb,mongo-java-server').split(',').map((s) => s.trim());
const PRELOAD = Number(process.env.BENCH_PRELOAD ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const BATCH = 1000;

interface Result {
  engine: string;
  description: string;
  empty: Measured;
  preloadSeconds: number;
  loaded: Measured;
  /** When no signature finished inside the measured run: how long one alone took. */
  loadedSingleMs?: number;
}

/** FerretDB or mongo-java-server started by the project's scripts; CongoDB as the embedded engine in its own process. */
async function startEngine(name: string, logDir: string): Promise<{ db: Database; stop(): Promise<void> }> {
  if (name === 'congodb') {
    const db = await startDatabase(logDir, '');
    return { db, stop: async () => db.child && stopChild(db.child) };
  }
  if (!(ENGINE_PROCESS_NAMES as string[]).includes(name)) throw new Error(`unknown engine ${name}`);
  const server = await EngineProcess.start(name as EngineProcessName);
  const db = await startDatabase(logDir, server.uri, server.pid);
  return { db, stop: () => server.remove() };
}

/** Signature records shaped like the gateway's (about 700 bytes each), on documents that no request touches. */
async function preload(db: Database, dbName: string, count: number): Promise<number> {
  const started = performance.now();
  const conn = await mongoose.createConnection(db.uri, { ...db.clientOptions, dbName }).asPromise();
  try {
    const records = conn.collection('caExtendedData');
    const tag = randomBytes(4).toString('hex');
    for (let from = 0; from < count; from += BATCH) {
      const now = Date.now();
      const batch = Array.from({ length: Math.min(BATCH, count - from) }, (_, j) => {
        const n = from + j;
        return {
          idempotencyKey: `preload-${tag}-${n}`,
          status: 'SIGNED',
          userCode: `PN${n % 500}`,
          msspId: `mssp-preload-${n % 500}`,
          provider: 'coss',
          docId: `PRELOAD-${tag}-${Math.floor(n / 2)}`,
          docType: 'document',
          signedContent: JSON.stringify(nursingRecord(`PRELOAD-${n}`, n)).slice(0, 400),
          contentDigestSm3: randomBytes(32).toString('hex'),
          authorizationSignDataId: `SD_preload_${n % 500}`,
          signDataId: `SD_${tag}_${n}`,
          signFormat: 'SM2_DER',
          signResult: randomBytes(72).toString('base64'),
          certSerial: randomBytes(8).toString('hex'),
          attemptId: randomBytes(8).toString('hex'),
          leaseUntil: new Date(now),
          documentApplied: true,
          signedAt: new Date(now),
          createdAt: new Date(now),
          updatedAt: new Date(now),
        };
      });
      await records.insertMany(batch, { ordered: false });
    }
  } finally {
    await conn.close();
  }
  return (performance.now() - started) / 1000;
}

async function benchEngine(name: string): Promise<Result> {
  const logDir = mkdtempSync(join(tmpdir(), 'mnis-bench-preloaded-'));
  const dbName = `mnis_bench_preloaded_${randomBytes(4).toString('hex')}`;
  const engine = await startEngine(name, logDir);
  try {
    log(`${name}: ${engine.db.description}`);
    const sim = await startSimulator(logDir);
    const gateway = await startGateway({ db: engine.db, dbName, sim, logDir });
    const nurses = await loginNurses(gateway.url, sim.url, 5, `PB${randomBytes(2).toString('hex')}`);
    let seq = 0;
    const signOne = (scenario: string) =>
      measure(
        scenario,
        {
          url: gateway.url,
          connections: 1,
          duration: SECONDS,
          timeout: 30,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          requests: [
            {
              path: '/windranger/doc/ca/signDocWithCa',
              setupRequest: (request) => {
                const n = seq++;
                request.body = signDocBody(nurses[n % nurses.length], nursingRecord(`PB-${dbName}-${n}`, n));
                return request;
              },
            },
          ],
        },
        WARMUP_SECONDS,
      );
    log(`${name}: measuring signatures on an empty collection`);
    const empty = await signOne('empty');
    log(`${name}: pre-loading ${PRELOAD} signature records`);
    const preloadSeconds = await preload(engine.db, dbName, PRELOAD);
    log(`${name}: pre-loaded in ${preloadSeconds.toFixed(1)} s; measuring again`);
    const loaded = await signOne(`${PRELOAD} records`);
    let loadedSingleMs: number | undefined;
    if (loaded.ok === 0) {
      const started = performance.now();
      const body = JSON.parse(signDocBody(nurses[0], nursingRecord(`PB-${dbName}-single`, 0))) as unknown;
      const status = await postJson(`${gateway.url}/windranger/doc/ca/signDocWithCa`, body).then(
        (res) => String(res.status),
        (error: Error) => error.name,
      );
      loadedSingleMs = status === '200' ? performance.now() - started : Number.POSITIVE_INFINITY;
      log(
        `${name}: no signature finished within ${SECONDS} s; one alone: ${status} after ${performance.now() - started} ms`,
      );
    }
    await stopChild(gateway.child, 10_000);
    await dropDatabase(engine.db, dbName);
    return { engine: name, description: engine.db.description, empty, preloadSeconds, loaded, loadedSingleMs };
  } finally {
    await stopAll();
    await engine.stop().catch(() => undefined);
    rmSync(logDir, { recursive: true, force: true });
  }
}

async function dropDatabase(db: Database, dbName: string): Promise<void> {
  const conn = await mongoose.createConnection(db.uri, { ...db.clientOptions, dbName }).asPromise();
  await conn.dropDatabase().finally(() => conn.close());
}

function report(results: Result[]): string {
  const cell = (m: Measured) =>
    m.ok > 0 ? `${m.reqPerSec.toFixed(1)} /s, p50 ${m.p50Ms.toFixed(0)} ms, p99 ${m.p99Ms.toFixed(0)} ms` : 'no 2xx';
  const loadedCell = (r: Result) => {
    if (r.loadedSingleMs === undefined) return cell(r.loaded);
    const alone = Number.isFinite(r.loadedSingleMs)
      ? `${(r.loadedSingleMs / 1000).toFixed(1)} s`
      : 'over 15 s (timed out)';
    return `none within ${SECONDS} s; one alone: ${alone}`;
  };
  const ratio = (r: Result) => {
    const loadedMs = r.loaded.ok ? r.loaded.p50Ms : (r.loadedSingleMs ?? NaN);
    const value = loadedMs / Math.max(r.empty.p50Ms, 1);
    return r.empty.ok && Number.isFinite(value) ? `${value.toFixed(1)}x` : '-';
  };
  const lines = [
    `| engine | empty collection | ${PRELOAD.toLocaleString('en')} records | p50 ratio | pre-load |`,
    '| --- | --- | --- | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.engine} | ${cell(r.empty)} | ${loadedCell(r)} | ${ratio(r)} | ` +
        `${r.preloadSeconds.toFixed(1)} s (${(PRELOAD / r.preloadSeconds).toFixed(0)}/s) |`,
    ),
    '',
    `signDocWithCa over one connection (one signature at a time), ${SECONDS} s after ${WARMUP_SECONDS} s warm-up; ` +
      'errors: ' +
      results.map((r) => `${r.engine} ${r.empty.errors}/${r.loaded.errors}`).join(', '),
    ...results.map((r) => `${r.engine}: ${r.description}`),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const results: Result[] = [];
  for (const name of ENGINES) results.push(await benchEngine(name));
  process.stdout.write(`\n${report(results)}\n`);
}

function log(message: string): void {
  process.stderr.write(`[bench:preloaded] ${message}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`[bench:preloaded] FAILED: ${error.stack ?? error.message}\n`);
  void stopAll().finally(() => process.exit(1));
});
