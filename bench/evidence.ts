import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { mainThreadCpuSeconds, processCpuSeconds } from './cpu';
import { nursingRecord } from './nursing-record';
import { loginNurses, Nurse, postJson, signDocBody } from './nurses';
import { stopChild } from './processes';
import { quantile, sequential } from './sequential';
import { Database, Gateway, Simulator, startGateway, startTsaSimulator, TsaSimulatorProcess } from './stack';

/**
 * The cost of the evidence work (trusted timestamps and the audit chain): the same gateway started twice, measured in
 * alternating rounds (off, on, on, off, ...) so that a change of machine load hits both alike.
 *
 * ON:  TSA_URL = the TSA simulator in its own process (SM2, TSA_HASH=sm3), audit chain with anchors every
 *      AUDIT_ANCHOR_INTERVAL_SECONDS (default 600).
 * OFF: TSA_DISABLED=true and AUDIT_ANCHOR_INTERVAL_SECONDS=86400. The audit outbox and its drain have no switch (no
 *      committed transition may be missing from the chain), so they run in both: OFF is the gateway with the least
 *      evidence work a deployment can have, and the audit entries per signature are shown for both.
 *
 * Each round is a warm-up and a measured run of signDocWithCa over one connection, then a wait until the background
 * work of that round is done (every record GRANTED when ON, every audit outbox drained). The gateway's CPU is read
 * from /proc over that whole window, so CPU per signature includes the stamper and the drain.
 */
export interface EvidenceSettings {
  db: Database;
  sim: Simulator;
  logDir: string;
  dbName: string;
  runId: string;
  seconds: number;
  warmupSeconds: number;
  rounds: number;
  nurses: number;
  timeoutSeconds: number;
  /** Profile both gateways (`node --cpu-prof`) into evidence-off/ and evidence-on/ under this directory. */
  cpuProfileDir?: string;
  log: (message: string) => void;
}

export interface EvidenceSide {
  name: 'off' | 'on';
  signatures: number;
  ok: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  cpuMsPerSignature: number;
  /** Of which on the gateway's main thread, its event loop: what holds up the requests. */
  eventLoopCpuMsPerSignature: number;
  /** CPU of the other processes on these cores per signature: the database, the COSS and TSA simulators, the client. */
  othersCpuMsPerSignature: Record<OtherProcess, number>;
  tsaRequestsPerSignature: number;
  auditEntriesPerSignature: number;
  /** Seconds spent waiting, after the runs, for the background work to finish (summed over rounds). */
  settleSeconds: number;
  timestamps: Record<string, number>;
}

export interface EvidenceResult {
  off: EvidenceSide;
  on: EvidenceSide;
  /** p50 ON over p50 OFF, minus one. */
  p50Growth: number;
  met: boolean;
}

export const EVIDENCE_TARGET_GROWTH = 0.25;
const OTHER_PROCESSES = ['database', 'COSS simulator', 'TSA simulator', 'bench client'] as const;
type OtherProcess = (typeof OTHER_PROCESSES)[number];
const SETTLE_TIMEOUT_MS = 120_000;
const SIGN_PATH = '/windranger/doc/ca/signDocWithCa';

interface Side {
  name: 'off' | 'on';
  gateway: Gateway;
  dbName: string;
  conn: mongoose.Connection;
  nurses: Nurse[];
  sent: number;
  latencies: number[];
  ok: number;
  errors: number;
  cpuSeconds: number;
  eventLoopCpuSeconds: number;
  othersCpuSeconds: Record<OtherProcess, number>;
  signatures: number;
  tsaRequests: number;
  auditEntries: number;
  settleSeconds: number;
}

export async function measureEvidence(settings: EvidenceSettings): Promise<EvidenceResult> {
  const { log } = settings;
  const tsa = await startTsaSimulator(settings.logDir);
  log(`TSA simulator: ${tsa.url} (own process, SM2 key, SM3 imprints)`);
  const sides: Side[] = [];
  try {
    for (const name of ['off', 'on'] as const) sides.push(await startSide(name, settings, tsa));
    for (let round = 0; round < settings.rounds; round++) {
      // off on | on off | off on ...: each side goes first as often as the other.
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) await measureRound(side, settings, tsa, round + 1);
    }
    const [off, on] = await Promise.all(sides.map((side) => summarize(side)));
    const p50Growth = on.p50Ms / off.p50Ms - 1;
    return { off, on, p50Growth, met: p50Growth <= EVIDENCE_TARGET_GROWTH && on.errors === 0 && off.errors === 0 };
  } finally {
    for (const side of sides) {
      await stopChild(side.gateway.child, 10_000, settings.cpuProfileDir ? 'SIGUSR2' : 'SIGTERM');
      await side.conn.dropDatabase().catch(() => undefined);
      await side.conn.close();
    }
    await stopChild(tsa.child);
  }
}

async function startSide(name: 'off' | 'on', settings: EvidenceSettings, tsa: TsaSimulatorProcess): Promise<Side> {
  const dbName = `${settings.dbName}_evidence_${name}`;
  const env: NodeJS.ProcessEnv =
    name === 'on'
      ? { TSA_DISABLED: 'false', TSA_URL: tsa.url, TSA_TRUSTED_ROOTS: tsa.rootsPath, TSA_HASH: 'sm3' }
      : { TSA_DISABLED: 'true', AUDIT_ANCHOR_INTERVAL_SECONDS: '86400' };
  const cpuProfileDir = settings.cpuProfileDir && join(settings.cpuProfileDir, `evidence-${name}`);
  if (cpuProfileDir) mkdirSync(cpuProfileDir, { recursive: true });
  const gateway = await startGateway({ ...settings, dbName, name: `gateway-evidence-${name}`, env, cpuProfileDir });
  const conn = await mongoose.createConnection(settings.db.uri, { ...settings.db.clientOptions, dbName }).asPromise();
  const nurses = await loginNurses(gateway.url, settings.sim.url, settings.nurses, `BE${name}${settings.runId}`);
  const side: Side = {
    name,
    gateway,
    dbName,
    conn,
    nurses,
    sent: 0,
    latencies: [],
    ok: 0,
    errors: 0,
    cpuSeconds: 0,
    eventLoopCpuSeconds: 0,
    othersCpuSeconds: Object.fromEntries(OTHER_PROCESSES.map((name) => [name, 0])) as Record<OtherProcess, number>,
    signatures: 0,
    tsaRequests: 0,
    auditEntries: 0,
    settleSeconds: 0,
  };
  const smoke = await postJson<{ status: string }>(`${gateway.url}${SIGN_PATH}`, JSON.parse(nextBody(side, settings)));
  if (smoke.status !== 200 || smoke.body.data?.status !== 'SIGNED')
    throw new Error(`evidence ${name}: signDocWithCa does not sign: ${smoke.status} ${JSON.stringify(smoke.body)}`);
  await settle(side);
  settings.log(`evidence ${name}: gateway ${gateway.url} (db ${dbName}), ${nurses.length} nurses logged in`);
  return side;
}

function nextBody(side: Side, settings: EvidenceSettings): string {
  const n = side.sent++;
  return signDocBody(
    side.nurses[n % side.nurses.length],
    nursingRecord(`BENCH-EV-${side.name}-${settings.runId}-${n}`, n),
  );
}

async function measureRound(
  side: Side,
  settings: EvidenceSettings,
  tsa: TsaSimulatorProcess,
  round: number,
): Promise<void> {
  const records = side.conn.collection('caExtendedData');
  const audit = side.conn.collection('caAuditLog');
  const counts = () => Promise.all([records.countDocuments(), tsa.received(), audit.countDocuments()]);
  const [recordsBefore, tsaBefore, auditBefore] = await counts();
  const others = (): Record<OtherProcess, number> => ({
    database: settings.db.pid ? processCpuSeconds(settings.db.pid) : NaN,
    'COSS simulator': processCpuSeconds(settings.sim.child.process.pid!),
    'TSA simulator': processCpuSeconds(tsa.child.process.pid!),
    'bench client': processCpuSeconds(process.pid),
  });
  const othersBefore = others();
  const cpuBefore = processCpuSeconds(side.gateway.child.process.pid!);
  const loopBefore = mainThreadCpuSeconds(side.gateway.child.process.pid!);
  const body = () => nextBody(side, settings);
  const timeoutMs = settings.timeoutSeconds * 1000;
  if (settings.warmupSeconds > 0)
    await sequential(side.gateway.url, SIGN_PATH, body, settings.warmupSeconds, timeoutMs);
  const run = await sequential(side.gateway.url, SIGN_PATH, body, settings.seconds, timeoutMs);
  const settleSeconds = await settle(side);
  const cpuAfter = processCpuSeconds(side.gateway.child.process.pid!);
  side.eventLoopCpuSeconds += mainThreadCpuSeconds(side.gateway.child.process.pid!) - loopBefore;
  const othersAfter = others();
  for (const name of OTHER_PROCESSES) side.othersCpuSeconds[name] += othersAfter[name] - othersBefore[name];
  const [recordsAfter, tsaAfter, auditAfter] = await counts();

  side.latencies.push(...run.latenciesMs);
  side.ok += run.ok;
  side.errors += run.errors;
  side.cpuSeconds += cpuAfter - cpuBefore;
  side.signatures += recordsAfter - recordsBefore;
  side.tsaRequests += tsaAfter - tsaBefore;
  side.auditEntries += auditAfter - auditBefore;
  side.settleSeconds += settleSeconds;
  const sorted = [...run.latenciesMs].sort((a, b) => a - b);
  settings.log(
    `evidence ${side.name}, round ${round}: ${run.ok} answers, p50 ${quantile(sorted, 0.5).toFixed(2)} ms, ` +
      `background done ${settleSeconds.toFixed(1)} s after the run`,
  );
}

/** Waits until the side's background work is done: no audit outbox item left, and (ON) every timestamp GRANTED. */
async function settle(side: Side): Promise<number> {
  const started = Date.now();
  const records = side.conn.collection('caExtendedData');
  const busy = async () =>
    (await records.countDocuments({ 'auditOutbox.key': { $exists: true } })) +
    (side.name === 'on' ? await records.countDocuments({ 'timestamp.status': { $ne: 'GRANTED' } }) : 0);
  while ((await busy()) > 0) {
    if (Date.now() - started > SETTLE_TIMEOUT_MS)
      throw new Error(`evidence ${side.name}: background work not done ${SETTLE_TIMEOUT_MS / 1000} s after the run`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return (Date.now() - started) / 1000;
}

async function summarize(side: Side): Promise<EvidenceSide> {
  const records = side.conn.collection('caExtendedData');
  const statuses = await records
    .aggregate<{ _id: string | null; n: number }>([{ $group: { _id: '$timestamp.status', n: { $sum: 1 } } }])
    .toArray();
  const sorted = [...side.latencies].sort((a, b) => a - b);
  const perSignature = (n: number) => (side.signatures > 0 ? n / side.signatures : NaN);
  return {
    name: side.name,
    signatures: side.signatures,
    ok: side.ok,
    errors: side.errors,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    meanMs: sorted.reduce((sum, v) => sum + v, 0) / Math.max(1, sorted.length),
    cpuMsPerSignature: perSignature(side.cpuSeconds * 1000),
    eventLoopCpuMsPerSignature: perSignature(side.eventLoopCpuSeconds * 1000),
    othersCpuMsPerSignature: Object.fromEntries(
      OTHER_PROCESSES.map((name) => [name, perSignature(side.othersCpuSeconds[name] * 1000)]),
    ) as Record<OtherProcess, number>,
    tsaRequestsPerSignature: perSignature(side.tsaRequests),
    auditEntriesPerSignature: perSignature(side.auditEntries),
    settleSeconds: side.settleSeconds,
    timestamps: Object.fromEntries(statuses.map((s) => [s._id ?? 'none', s.n])),
  };
}

/** The lines `npm run bench` prints for this comparison. */
export function evidenceLines(
  result: EvidenceResult,
  settings: Pick<EvidenceSettings, 'rounds' | 'seconds'> & { engine: string },
): string[] {
  const head = [
    'evidence',
    'signatures',
    'p50 ms',
    'p99 ms',
    'gateway CPU ms/sig',
    'of which event loop',
    'TSA req/sig',
    'audit entries/sig',
  ];
  const cells = (s: EvidenceSide) => [
    s.name.toUpperCase(),
    String(s.signatures),
    s.p50Ms.toFixed(2),
    s.p99Ms.toFixed(2),
    s.cpuMsPerSignature.toFixed(2),
    s.eventLoopCpuMsPerSignature.toFixed(2),
    s.tsaRequestsPerSignature.toFixed(2),
    s.auditEntriesPerSignature.toFixed(2),
    String(s.errors),
  ];
  const rows = [[...head, 'errors'], cells(result.off), cells(result.on)];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [
    `evidence work (timestamps + audit chain) ON vs OFF: signDocWithCa over 1 connection, ${settings.rounds} ` +
      `alternating rounds of ${settings.seconds} s per side; CPU and counts until the background work was done`,
    line(rows[0]),
    rule,
    line(rows[1]),
    line(rows[2]),
    `timestamps at the end: OFF ${JSON.stringify(result.off.timestamps)}, ON ${JSON.stringify(result.on.timestamps)}; ` +
      `background work done ${result.on.settleSeconds.toFixed(1)} s (ON) and ${result.off.settleSeconds.toFixed(1)} s ` +
      `(OFF) after the runs, summed over rounds`,
    `CPU ms per signature of the other processes on these cores: ${OTHER_PROCESSES.map(
      (name) =>
        `${name} ${result.off.othersCpuMsPerSignature[name].toFixed(2)} (OFF), ${result.on.othersCpuMsPerSignature[name].toFixed(2)} (ON)`,
    ).join('; ')}`,
    `target: p50 at 1 connection grows by <= ${EVIDENCE_TARGET_GROWTH * 100} % with the evidence work on: ` +
      `${(result.p50Growth * 100).toFixed(1)} % -> ${result.met ? 'MET' : 'NOT MET'}` +
      (!result.met && settings.engine.startsWith('congodb')
        ? ' (on CongoDB every query scans its collection, so each query the evidence work adds grows with the data; ' +
          'BENCH_ENGINE=mongo-java-server compares against index lookups)'
        : ''),
  ];
}
