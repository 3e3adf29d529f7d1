import type { Types } from 'mongoose';
import { BENCH_READ_KEY } from '../../bench/stack';
import { Answer, countBy } from './load';
import { Cluster, SETTINGS } from './cluster';

interface StoredRecord {
  _id: Types.ObjectId;
  idempotencyKey: string;
  status: string;
  docId: string;
  msspId: string;
  signedContent: string;
  documentApplied?: boolean;
  verification?: { valid: boolean };
  leaseUntil: Date;
}

interface StoredDocument {
  docId: string;
  signature?: { recordId?: Types.ObjectId };
}

export interface Watched {
  /** The vendor's job ids of the watched logins (as in their QR codes). */
  signDataIds: string[];
  fromMs: number;
  toMs: number;
}

/** The figures of one scenario; `violations` names every invariant that did not hold. */
export interface Figures {
  scenario: string;
  requests: number;
  ok: number;
  answers: Record<string, number>;
  internalErrors: number;
  records: number;
  signed: number;
  okWithoutGoodRecord: number;
  documentsWithoutGoodRecord: number;
  signedFailingReverify: number;
  pendingPastLease: number;
  maxSignedPerKey: number;
  autoSignCalls: number;
  attemptsOverBound: number;
  maxPollsPerLogin?: number;
  pollBound?: number;
  minPollGapMs?: number;
  recoveryWaitMs: number;
  violations: string[];
}

const GRACE_MS = 1000;

/**
 * Waits until recovery has had its chance (every lease that ran out is past one more sweep, and every SIGNED record is
 * applied), then checks the database and the simulator's journal against the answers the clients received.
 */
export async function checkInvariants(
  cluster: Cluster,
  scenario: string,
  answers: Answer[],
  watched?: Watched,
): Promise<Figures> {
  const docIds = [...new Set(answers.map((a) => a.docId))];
  const recoveryWaitMs = await waitForRecovery(cluster, docIds);
  const db = await cluster.db();
  const records = (await db
    .collection('caExtendedData')
    .find({ docId: { $in: docIds } })
    .toArray()) as unknown as StoredRecord[];
  const documents = (await db
    .collection('nursingDocuments')
    .find({ docId: { $in: docIds } })
    .toArray()) as unknown as StoredDocument[];
  const violations: string[] = [];
  const byId = new Map(records.map((r) => [String(r._id), r]));
  const good = (r: StoredRecord | undefined) =>
    r !== undefined && r.status === 'SIGNED' && r.documentApplied === true && r.verification?.valid === true;
  const signed = records.filter((r) => r.status === 'SIGNED');
  const signedPerDoc = countBy(signed, (r) => r.docId);

  const ok = answers.filter((a) => a.status >= 200 && a.status < 300);
  const okWithoutGoodRecord = ok.filter((a) => !good(byId.get(a.recordId ?? '')) || signedPerDoc[a.docId] !== 1).length;
  if (okWithoutGoodRecord) violations.push(`${okWithoutGoodRecord} 2xx without exactly one SIGNED applied record`);

  const documentsWithoutGoodRecord = documents.filter(
    (d) => d.signature && !good(byId.get(String(d.signature.recordId))),
  ).length;
  if (documentsWithoutGoodRecord) violations.push(`${documentsWithoutGoodRecord} signed documents without a record`);

  const signedFailingReverify = await reverify(cluster, signed);
  if (signedFailingReverify) violations.push(`${signedFailingReverify} SIGNED records fail re-verification`);

  const expiredBefore = Date.now() - SETTINGS.recoveryIntervalMs - GRACE_MS;
  const pendingPastLease = records.filter(
    (r) => (r.status === 'PENDING' || r.status === 'PENDING_SCAN') && new Date(r.leaseUntil).getTime() < expiredBefore,
  ).length;
  if (pendingPastLease) violations.push(`${pendingPastLease} records PENDING past their lease`);

  const maxSignedPerKey = Math.max(0, ...Object.values(countBy(signed, (r) => r.idempotencyKey)));
  if (maxSignedPerKey > 1) violations.push(`${maxSignedPerKey} SIGNED records for one idempotency key`);

  const { calls, over } = await autoSignBound(cluster, records, answers);
  if (over) violations.push(`${over} contents got more autoSign calls than claimed attempts`);

  const internalErrors = answers.filter((a) => a.status >= 500 && a.type === 'INTERNAL_ERROR').length;
  if (internalErrors) violations.push(`${internalErrors} answers were 500 INTERNAL_ERROR`);

  const polls = watched ? await pollBound(cluster, watched) : undefined;
  if (polls && polls.max > polls.bound)
    violations.push(`a pending login was polled ${polls.max} times in a window that allows ${polls.bound}`);

  return {
    scenario,
    requests: answers.length,
    ok: ok.length,
    answers: countBy(answers, (a) => (a.status ? `${a.status} ${a.type}` : a.type)),
    internalErrors,
    records: records.length,
    signed: signed.length,
    okWithoutGoodRecord,
    documentsWithoutGoodRecord,
    signedFailingReverify,
    pendingPastLease,
    maxSignedPerKey,
    autoSignCalls: calls,
    attemptsOverBound: over,
    maxPollsPerLogin: polls?.max,
    pollBound: polls?.bound,
    minPollGapMs: polls?.minGap,
    recoveryWaitMs,
    violations,
  };
}

/** Until no attempt of these documents is PENDING or unapplied, or one lease plus two sweeps have passed. */
async function waitForRecovery(cluster: Cluster, docIds: string[]): Promise<number> {
  const records = (await cluster.db()).collection('caExtendedData');
  const started = Date.now();
  const deadline = started + SETTINGS.signLeaseMs + 2 * SETTINGS.recoveryIntervalMs + GRACE_MS;
  const busy = {
    docId: { $in: docIds },
    $or: [{ status: { $in: ['PENDING', 'PENDING_SCAN'] } }, { status: 'SIGNED', documentApplied: { $ne: true } }],
  };
  while ((await records.countDocuments(busy)) > 0 && Date.now() < deadline) await sleep(250);
  return Date.now() - started;
}

/** Every SIGNED record checked again through the API's verify endpoint, spread over the gateways. */
async function reverify(cluster: Cluster, signed: StoredRecord[]): Promise<number> {
  let failing = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < signed.length) {
      const n = next++;
      const url = cluster.gateways[n % cluster.gateways.length].url;
      const res = await fetch(`${url}/windranger/doc/ca/records/${String(signed[n]._id)}/verify`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BENCH_READ_KEY}` },
      });
      const body = (await res.json()) as { data?: { valid?: boolean } };
      if (res.status !== 200 || body.data?.valid !== true) failing++;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return failing;
}

/**
 * A content is claimed once, and again only after an attempt on it failed (recovery or an error answer marks it
 * FAILED), so the vendor may sign it at most 1 + (failed answers for that document) times. Calls for a content that
 * has no record at all were never claimed.
 */
async function autoSignBound(
  cluster: Cluster,
  records: StoredRecord[],
  answers: Answer[],
): Promise<{ calls: number; over: number }> {
  const journal = await cluster.control<{ requests: { userId?: string; data?: string }[]; total: number }>(
    'GET',
    '/sim/requests?operation=autoSign',
  );
  if (journal.total !== journal.requests.length)
    throw new Error(`the simulator kept ${journal.requests.length} of ${journal.total} autoSign requests`);
  const docOf = new Map(
    records.map((r) => [`${r.msspId}|${Buffer.from(r.signedContent, 'utf8').toString('base64')}`, r.docId]),
  );
  const failedAnswers = countBy(
    answers.filter((a) => a.status < 200 || a.status >= 300),
    (a) => a.docId,
  );
  const calls = countBy(journal.requests, (r) => `${r.userId}|${r.data}`);
  let over = 0;
  for (const [content, n] of Object.entries(calls)) {
    const docId = docOf.get(content);
    if (docId === undefined || n > 1 + (failedAnswers[docId] ?? 0)) over++;
  }
  return { calls: journal.requests.length, over };
}

/** Vendor getSignResult calls per watched login, within the watching window. */
async function pollBound(cluster: Cluster, watched: Watched): Promise<{ max: number; bound: number; minGap: number }> {
  const journal = await cluster.control<{ requests: { signDataId?: string }[]; receivedAt: number[]; total: number }>(
    'GET',
    '/sim/requests?operation=getSignResult',
  );
  if (journal.total !== journal.requests.length)
    throw new Error(`the simulator kept ${journal.requests.length} of ${journal.total} getSignResult requests`);
  let max = 0;
  let minGap = Number.POSITIVE_INFINITY;
  for (const id of watched.signDataIds) {
    const times = journal.requests
      .map((r, i) => ({ id: r.signDataId, at: journal.receivedAt[i] }))
      .filter((r) => r.id === id && r.at >= watched.fromMs && r.at <= watched.toMs)
      .map((r) => r.at)
      .sort((a, b) => a - b);
    max = Math.max(max, times.length);
    for (let i = 1; i < times.length; i++) minGap = Math.min(minGap, times[i] - times[i - 1]);
  }
  // One poll may open the window, then one per full interval.
  const bound = Math.floor((watched.toMs - watched.fromMs) / SETTINGS.pollIntervalMs) + 1;
  return { max, bound, minGap: Number.isFinite(minGap) ? minGap : 0 };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
