/**
 * `npm run bench`: the gateway in production mode (its own process) against MONGODB_URI, BENCH_ENGINE or the embedded
 * engine (its own process), with the COSS simulator as a third process and no added latency. All HTTP goes over loopback.
 *
 *   BENCH_ENGINE        congodb (default: the embedded engine) | mongo-java-server | ferretdb, started by the project's
 *                       scripts (build them first: scripts/mongo-java-server-build.sh, scripts/ferretdb-build.sh);
 *                       MONGODB_URI, when set, wins
 *
 *   BENCH_SECONDS (10)  BENCH_WARMUP_SECONDS (2)  BENCH_CONNECTIONS (50)  BENCH_NURSES (50)  BENCH_RATE (200)
 *   BENCH_TIMEOUT_SECONDS (10: a request unanswered this long counts as an error)
 *   BENCH_ONLY          comma list of health,pending,signdoc,single,rate,evidence (default: all; single =
 *                       signDocWithCa over one connection, the unloaded latency; evidence = the same with timestamps
 *                       and the audit chain ON and OFF, two more gateways and the TSA simulator in its own process)
 *   BENCH_EVIDENCE_ROUNDS (4)  BENCH_EVIDENCE_NURSES (5): alternating ON/OFF rounds of BENCH_SECONDS each
 *   BENCH_KEEP_LOGS     keep the children's logs (kept anyway when the bench fails)
 *   BENCH_CPU_PROF_DIR  run the gateway under `node --cpu-prof`; the profile and the scenario windows land there
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mongoose from 'mongoose';
import { LoadOptions, measure, RawRequest } from './autocannon';
import { ENGINE_PROCESS_NAMES, EngineProcess, EngineProcessName } from '../tools/engine-process';
import { CpuMeter } from './cpu';
import { nursingRecord } from './nursing-record';
import { loginNurses, Nurse, postJson, signDocBody, startLogin } from './nurses';
import { killAllNow, logTail, stopAll, stopChild } from './processes';
import { coresLine, errorLines, machine, Row, table } from './report';
import { EvidenceResult, evidenceLines, measureEvidence } from './evidence';
import { Database, Gateway, Simulator, startDatabase, startGateway, startSimulator } from './stack';

const SECONDS = positiveInt('BENCH_SECONDS', 10);
const WARMUP_SECONDS = positiveInt('BENCH_WARMUP_SECONDS', 2, true);
const CONNECTIONS = positiveInt('BENCH_CONNECTIONS', 50);
const NURSES = positiveInt('BENCH_NURSES', 50);
const RATE = positiveInt('BENCH_RATE', 200);
const TIMEOUT_SECONDS = positiveInt('BENCH_TIMEOUT_SECONDS', 10);
const ONLY = new Set(
  (process.env.BENCH_ONLY ?? 'health,pending,signdoc,single,rate,evidence').split(',').map((s) => s.trim()),
);
const EVIDENCE_ROUNDS = positiveInt('BENCH_EVIDENCE_ROUNDS', 4);
const EVIDENCE_NURSES = positiveInt('BENCH_EVIDENCE_NURSES', 5);
const ENGINE = process.env.BENCH_ENGINE ?? 'congodb';
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF_DIR ? resolve(process.env.BENCH_CPU_PROF_DIR) : undefined;
const TARGET_RATIO = 0.25;
const TARGET_P99_MS = 50;

const runId = randomBytes(4).toString('hex');
const dbName = `mnis_bench_${runId}`;
const logDir = mkdtempSync(join(tmpdir(), 'mnis-bench-'));
let db: Database | undefined;
let engineProcess: EngineProcess | undefined;
let sim: Simulator | undefined;
let gateway: Gateway | undefined;
let failed = false;

async function main(): Promise<void> {
  const host = machine();
  const startedAt = new Date();
  log(
    `mnis-ca-gateway bench ${runId}: ${SECONDS} s per scenario after ${WARMUP_SECONDS} s warm-up, ${CONNECTIONS} connections, ` +
      `request timeout ${TIMEOUT_SECONDS} s`,
  );
  db = await openDatabase();
  log(`database: ${db.description}`);
  sim = await startSimulator(logDir);
  log(`COSS simulator: ${sim.url} (own process, latency 0)`);
  if (CPU_PROF_DIR) mkdirSync(CPU_PROF_DIR, { recursive: true });
  gateway = await startGateway({ db, dbName, sim, logDir, cpuProfileDir: CPU_PROF_DIR });
  log(
    `gateway: ${gateway.url} (NODE_ENV=production, db ${dbName}), start-up ${gateway.startupMs.toFixed(0)} ms (spawn to first /health 200)`,
  );

  const nurses = await loginNurses(gateway.url, sim.url, NURSES, `BN${runId}`);
  log(`logged in ${nurses.length} nurses through startAutoSign, the virtual phone and getSignResult`);
  const signing = signingRequests(nurses);
  await smokeSign(gateway.url, signing);

  const meter = CpuMeter.available()
    ? new CpuMeter({ gateway: gateway.child.process.pid, 'COSS simulator': sim.child.process.pid, database: db.pid })
    : undefined;
  const windows: { scenario: string; fromMs: number; toMs: number }[] = [];
  const rows: Row[] = [];
  const run = async (key: string, scenario: string, options: LoadOptions): Promise<void> => {
    if (!ONLY.has(key)) return;
    log(`measuring ${scenario} ...`);
    const since = sinceSpawn();
    meter?.begin();
    const startedRun = performance.now();
    const measured = await measure(scenario, options, WARMUP_SECONDS);
    const cores = meter?.end();
    const answered = measured.ok + measured.warmupOk;
    const gatewayCpuMs =
      cores && answered > 0 ? (cores.gateway * (performance.now() - startedRun)) / answered : undefined;
    rows.push({ ...measured, cores, gatewayCpuMsPerRequest: gatewayCpuMs });
    windows.push({ scenario, fromMs: since + WARMUP_SECONDS * 1000, toMs: sinceSpawn() });
    if (key === 'signdoc' || key === 'single' || key === 'rate') await quiesce(scenario);
    const g = gateway!.child.process;
    if (g.exitCode !== null || g.signalCode !== null) {
      throw new Error(
        `the gateway died during ${scenario} (exit ${g.exitCode ?? g.signalCode})\n${logTail(gateway!.child, 40)}`,
      );
    }
  };
  const base = {
    url: gateway.url,
    connections: CONNECTIONS,
    duration: SECONDS,
    timeout: TIMEOUT_SECONDS,
    headers: { 'content-type': 'application/json' },
  };

  await run('health', 'GET /health', { ...base, method: 'GET', requests: [{ path: '/health' }] });
  if (ONLY.has('pending')) {
    const pending = await startLogin(gateway.url, `BP${runId}`);
    await run('pending', 'getSignResult (pending login)', {
      ...base,
      method: 'POST',
      requests: [{ path: '/coss/service/v1/getSignResult' }],
      body: JSON.stringify({ signDataId: pending.signDataId }),
    });
    const still = await postJson<{ jobStatus: string }>(`${gateway.url}/coss/service/v1/getSignResult`, {
      signDataId: pending.signDataId,
    });
    if (still.body.data?.jobStatus !== 'UNSIGN')
      throw new Error(`the pending login is no longer pending: ${JSON.stringify(still.body)}`);
  }
  await run('signdoc', `signDocWithCa (${CONNECTIONS} conn)`, { ...base, method: 'POST', requests: [signing.request] });
  await run('single', 'signDocWithCa (1 conn)', {
    ...base,
    connections: 1,
    method: 'POST',
    requests: [signing.request],
  });
  await run('rate', `signDocWithCa @ ${RATE} req/s`, {
    ...base,
    method: 'POST',
    requests: [signing.request],
    overallRate: RATE,
  });

  let evidence: EvidenceResult | undefined;
  if (ONLY.has('evidence')) {
    log('measuring the evidence work ON and OFF (two more gateways, the TSA simulator in its own process) ...');
    evidence = await measureEvidence({
      db,
      sim,
      logDir,
      dbName,
      runId,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      rounds: EVIDENCE_ROUNDS,
      nurses: EVIDENCE_NURSES,
      timeoutSeconds: TIMEOUT_SECONDS,
      cpuProfileDir: CPU_PROF_DIR,
      log,
    });
  }

  const health = rows.find((r) => r.scenario === 'GET /health');
  for (const row of rows) if (health) row.ratioToHealth = row.reqPerSec / health.reqPerSec;
  const check = await checkRecords(rows, signing.sent());
  const finishedAt = new Date();
  const loadAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);

  const out: string[] = [''];
  out.push(table(rows), '');
  const errors = errorLines(rows);
  if (errors.length) out.push('errors:', ...errors, '');
  const signDoc = rows.find((r) => r.scenario === `signDocWithCa (${CONNECTIONS} conn)`);
  const atRate = rows.find((r) => r.scenario.startsWith('signDocWithCa @'));
  if (signDoc && health) {
    const ratio = signDoc.reqPerSec / health.reqPerSec;
    out.push(
      `target: signDocWithCa >= ${TARGET_RATIO * 100} % of /health: ${(ratio * 100).toFixed(1)} % -> ${ratio >= TARGET_RATIO ? 'MET' : 'NOT MET'}`,
    );
  }
  if (atRate) {
    const reached = atRate.reqPerSec >= RATE * 0.95;
    const met = reached && atRate.p99Ms <= TARGET_P99_MS && atRate.errors === 0;
    const p99 = atRate.ok > 0 ? `p99 ${atRate.p99Ms.toFixed(1)} ms` : 'no 2xx answer';
    out.push(
      `target: p99 <= ${TARGET_P99_MS} ms at ${RATE} req/s: ${p99} at ${atRate.reqPerSec.toFixed(0)} req/s achieved` +
        `${reached ? '' : ' (rate NOT reached)'} -> ${met ? 'MET' : 'NOT MET'}`,
    );
  }
  if (check) out.push(`records: ${check}`);
  if (evidence)
    out.push('', ...evidenceLines(evidence, { rounds: EVIDENCE_ROUNDS, seconds: SECONDS, engine: db.description }));
  if (meter)
    out.push(
      '',
      'cores used during each measured run (CPU seconds per wall second, warm-up included):',
      ...rows.map(coresLine),
    );
  out.push(
    '',
    `settings: ${SECONDS} s per scenario after ${WARMUP_SECONDS} s warm-up, ${CONNECTIONS} connections, ${NURSES} nurses, ` +
      `request timeout ${TIMEOUT_SECONDS} s, docData ~1 KB, a new document id per request`,
    `engine:   ${db.description}`,
    `node:     ${host.node} (${host.platform})`,
    `cpu:      ${host.cpuModel} x ${host.cores} cores, ${host.memoryGiB} GiB RAM, load average ${host.loadAverageAtStart.join(' ')} at start, ${loadAtEnd.join(' ')} at end`,
    `          autocannon, the gateway, the COSS simulator and the database all share these ${host.cores} cores:`,
    `          the figures are a floor for a gateway with cores of its own`,
    `gateway:  start-up ${gateway.startupMs.toFixed(0)} ms (spawn of node dist/main.js to first /health 200)`,
    `date:     ${startedAt.toISOString()} to ${finishedAt.toISOString()}`,
  );
  process.stdout.write(`${out.join('\n')}\n`);

  const results = {
    runId,
    startedAt,
    finishedAt,
    settings: {
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      connections: CONNECTIONS,
      nurses: NURSES,
      rate: RATE,
      timeoutSeconds: TIMEOUT_SECONDS,
      evidenceRounds: EVIDENCE_ROUNDS,
      evidenceNurses: EVIDENCE_NURSES,
    },
    engine: db.description,
    machine: host,
    gatewayStartupMs: Math.round(gateway.startupMs),
    scenarios: rows,
    records: check,
    evidence,
    loadAverageAtEnd: loadAtEnd,
  };
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  if (CPU_PROF_DIR) writeFileSync(join(CPU_PROF_DIR, 'windows.json'), `${JSON.stringify(windows, null, 2)}\n`);
  log(`results written to bench/results/latest.json`);
}

interface Signing {
  request: { path: string; setupRequest: (request: RawRequest) => RawRequest };
  next(): string;
  sent(): number;
}

/** Every request a document of its own (ids never repeat, warm-ups included), round robin over the nurses. */
function signingRequests(nurses: Nurse[]): Signing {
  let seq = 0;
  const next = (): string => {
    const n = seq++;
    return signDocBody(nurses[n % nurses.length], nursingRecord(`BENCH-${runId}-${n}`, n));
  };
  return {
    next,
    sent: () => seq,
    request: {
      path: '/windranger/doc/ca/signDocWithCa',
      setupRequest: (request) => {
        request.body = next();
        return request;
      },
    },
  };
}

async function smokeSign(url: string, signing: Signing): Promise<void> {
  const body = JSON.parse(signing.next()) as unknown;
  const res = await postJson<{ status: string }>(`${url}/windranger/doc/ca/signDocWithCa`, body);
  if (res.status !== 200 || res.body.data?.status !== 'SIGNED')
    throw new Error(`signDocWithCa does not sign: ${res.status} ${JSON.stringify(res.body)}`);
  log(
    `one document signed (${Buffer.byteLength(JSON.stringify((body as { docData: unknown }).docData))} bytes of docData): SIGNED`,
  );
}

/**
 * What the database holds must match the answers: a SIGNED, applied record and a signed document behind every 2xx.
 * Requests still in flight when autocannon stops a run are finished by the gateway but never answered, so the
 * database may hold more than the 2xx count, never fewer, and never more than the bodies built.
 */
async function checkRecords(rows: Row[], built: number): Promise<string | undefined> {
  if (!db) return undefined;
  const answered =
    1 + rows.filter((r) => r.scenario.startsWith('signDocWithCa')).reduce((sum, r) => sum + r.ok + r.warmupOk, 0);
  const conn = await mongoose.createConnection(db.uri, { ...db.clientOptions, dbName }).asPromise();
  try {
    const records = conn.collection('caExtendedData');
    const signed = await records.countDocuments({ status: 'SIGNED', documentApplied: true });
    const other = await records.countDocuments({
      $or: [{ status: { $ne: 'SIGNED' } }, { documentApplied: { $ne: true } }],
    });
    const documents = await conn.collection('nursingDocuments').countDocuments({ 'signature.status': 'SIGNED' });
    const consistent = answered <= signed && signed <= built && documents === signed && other === 0;
    const summary =
      `${answered} signDocWithCa 2xx answers (warm-ups and the first check included), ${built} bodies built; ` +
      `${signed} SIGNED records applied, ${documents} signed documents, ${other} records not SIGNED or not applied`;
    const failures = await records.find({ status: 'FAILED' }, { projection: { failure: 1 } }).toArray();
    const byType = new Map<string, number>();
    for (const f of failures) {
      const why = `${String(f.failure?.type)}: ${String(f.failure?.message).slice(0, 80)}`;
      byType.set(why, (byType.get(why) ?? 0) + 1);
    }
    const failed = [...byType].map(([why, n]) => `\n  FAILED x${n}: ${why}`).join('');
    if (consistent) return `${summary} -> consistent`;
    if (answered <= signed && signed <= built && documents === signed)
      return `${summary} -> consistent for every 2xx${failed}`;
    return `${summary} -> MISMATCH${failed}\n${await mismatchDetails(conn)}`;
  } finally {
    await conn.close();
  }
}

/** Which documents and records do not pair up (read in full and compared here: FerretDB has no $lookup). */
async function mismatchDetails(conn: mongoose.Connection): Promise<string> {
  type Rec = { _id: unknown; docId: string; status: string; documentApplied?: boolean };
  type Doc = { docId: string; signature?: { recordId?: unknown } };
  const records = await conn
    .collection('caExtendedData')
    .find({}, { projection: { docId: 1, status: 1, documentApplied: 1 } })
    .toArray();
  const documents = await conn
    .collection('nursingDocuments')
    .find({}, { projection: { docId: 1, 'signature.recordId': 1 } })
    .toArray();
  const recordsByDoc = new Map<string, Rec[]>();
  for (const r of records as unknown as Rec[]) recordsByDoc.set(r.docId, [...(recordsByDoc.get(r.docId) ?? []), r]);
  const docIds = new Set((documents as unknown as Doc[]).map((d) => d.docId));
  const lines: string[] = [];
  for (const d of documents as unknown as Doc[]) {
    const recs = recordsByDoc.get(d.docId) ?? [];
    if (recs.length !== 1)
      lines.push(`  document ${d.docId} (signature.recordId ${String(d.signature?.recordId)}): ${recs.length} records`);
  }
  for (const r of records as unknown as Rec[]) {
    if (!docIds.has(r.docId))
      lines.push(`  record ${String(r._id)} (${r.status}, applied ${r.documentApplied}) for ${r.docId}: no document`);
  }
  const docCount = new Map<string, number>();
  for (const d of documents as unknown as Doc[]) docCount.set(d.docId, (docCount.get(d.docId) ?? 0) + 1);
  for (const [docId, n] of docCount) if (n > 1) lines.push(`  ${n} documents with docId ${docId}`);
  return lines.length
    ? lines.slice(0, 10).join('\n') + (lines.length > 10 ? `\n  ... ${lines.length - 10} more` : '')
    : '  (no unpaired ids found)';
}

/**
 * Requests cut off when autocannon stops a run are still finished by the gateway; waits (at most 90 s) until no
 * signature is PENDING or unapplied, so that the backlog of one run does not load the next.
 */
async function quiesce(after: string): Promise<void> {
  if (!db) return;
  const started = Date.now();
  const conn = await mongoose.createConnection(db.uri, { ...db.clientOptions, dbName }).asPromise();
  try {
    const records = conn.collection('caExtendedData');
    const busy = async () =>
      (await records.countDocuments({ status: 'PENDING' })) +
      (await records.countDocuments({ status: 'SIGNED', documentApplied: { $ne: true } }));
    let left = await busy();
    while (left > 0 && Date.now() - started < 90_000) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      left = await busy();
    }
    const waited = (Date.now() - started) / 1000;
    if (left > 0) log(`after ${after}: ${left} signatures still in flight after ${waited.toFixed(0)} s; going on`);
    else if (waited > 1)
      log(`after ${after}: waited ${waited.toFixed(1)} s for the gateway to finish requests cut off at the end`);
  } finally {
    await conn.close();
  }
}

/** MONGODB_URI; else BENCH_ENGINE's server, started by the project's scripts; else the embedded engine. */
async function openDatabase(): Promise<Database> {
  if (process.env.MONGODB_URI || ENGINE === 'congodb') return startDatabase(logDir);
  if (!(ENGINE_PROCESS_NAMES as string[]).includes(ENGINE))
    throw new Error(`BENCH_ENGINE must be congodb or one of ${ENGINE_PROCESS_NAMES.join(', ')}, not '${ENGINE}'`);
  engineProcess = await EngineProcess.start(ENGINE as EngineProcessName);
  return startDatabase(logDir, engineProcess.uri, engineProcess.pid);
}

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    if (gateway) await stopChild(gateway.child, 10_000, CPU_PROF_DIR ? 'SIGUSR2' : 'SIGTERM');
    if (db) await dropDatabase(db).catch((error: Error) => log(`could not drop ${dbName}: ${error.message}`));
    await stopAll();
    await engineProcess?.remove();
    if (failed || process.env.BENCH_KEEP_LOGS) log(`logs kept in ${logDir}`);
    else rmSync(logDir, { recursive: true, force: true });
  })();
  return cleaning;
}

async function dropDatabase(database: Database): Promise<void> {
  const conn = await mongoose
    .createConnection(database.uri, { ...database.clientOptions, dbName, serverSelectionTimeoutMS: 5000 })
    .asPromise();
  try {
    await conn.dropDatabase();
  } finally {
    await conn.close();
  }
}

function sinceSpawn(): number {
  return gateway ? Number(process.hrtime.bigint() - gateway.spawnedAt) / 1e6 : 0;
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function positiveInt(name: string, fallback: number, zeroAllowed = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (zeroAllowed ? 0 : 1))
    throw new Error(`${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} integer`);
  return value;
}

process.once('SIGINT', () => {
  log('interrupted: stopping the child processes');
  failed = true;
  void cleanup().finally(() => process.exit(130));
});
process.once('SIGTERM', () => void cleanup().finally(() => process.exit(143)));
process.on('exit', killAllNow);

main()
  .catch((error: Error) => {
    failed = true;
    process.stderr.write(`[bench] FAILED: ${error.stack ?? error.message}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanup().then(() => process.exit()));
