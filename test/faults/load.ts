import { Nurse, signDocBody } from '../../bench/nurses';
import { nursingRecord } from '../../bench/nursing-record';

/** One signDocWithCa answer as the client saw it; status 0 is a connection error or a client timeout. */
export interface Answer {
  docId: string;
  gateway: number;
  status: number;
  /** The error envelope's `error.type`, `OK` for a 2xx, or the client-side failure. */
  type: string;
  recordId?: string;
  startedAt: number;
  ms: number;
}

export interface Submission {
  docId: string;
  nurse: Nurse;
  seq: number;
  gateway: number;
}

const CLIENT_TIMEOUT_MS = 20_000;

/** The same document always has the same content and nurse, so identical submissions share one idempotency key. */
export function submission(prefix: string, seq: number, nurses: Nurse[], gateway: number): Submission {
  return { docId: `${prefix}-${seq}`, nurse: nurses[seq % nurses.length], seq, gateway };
}

export async function signOnce(urls: string[], s: Submission): Promise<Answer> {
  const startedAt = Date.now();
  const base = { docId: s.docId, gateway: s.gateway, startedAt };
  try {
    const res = await fetch(`${urls[s.gateway]}/windranger/doc/ca/signDocWithCa`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: signDocBody(s.nurse, nursingRecord(s.docId, s.seq)),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    const body = (await res.json()) as { data?: { recordId?: string }; error?: { type?: string } };
    const ok = res.status >= 200 && res.status < 300;
    return {
      ...base,
      status: res.status,
      type: ok ? 'OK' : (body.error?.type ?? `HTTP_${res.status}`),
      recordId: ok ? body.data?.recordId : undefined,
      ms: Date.now() - startedAt,
    };
  } catch (error) {
    const name = (error as Error).name === 'TimeoutError' ? 'CLIENT_TIMEOUT' : 'CONNECTION_ERROR';
    return { ...base, status: 0, type: name, ms: Date.now() - startedAt };
  }
}

/** Sends every submission, at most `concurrency` at a time, in order; resolves with every answer. */
export async function sendAll(urls: string[], submissions: Submission[], concurrency: number): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < submissions.length) answers.push(await signOnce(urls, submissions[next++]));
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, submissions.length) }, worker));
  return answers;
}

/** Keeps `workers` signing new documents until `until()` says stop; a bounded count guards against a runaway. */
export async function signUntil(
  urls: string[],
  nurses: Nurse[],
  prefix: string,
  workers: number,
  until: () => boolean,
  max = 5000,
): Promise<Answer[]> {
  const answers: Answer[] = [];
  let seq = 0;
  const worker = async (): Promise<void> => {
    while (!until() && seq < max) {
      const n = seq++;
      answers.push(await signOnce(urls, submission(prefix, n, nurses, n % urls.length)));
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return answers;
}

export function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
