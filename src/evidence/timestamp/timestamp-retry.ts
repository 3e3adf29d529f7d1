import { TimestampFailureReason, TimestampResult } from './timestamp.types';

export type TimestampStatus = 'PENDING' | 'GRANTED' | 'FAILED';

/** The TSA could not be asked or answered nothing usable: the record waits, nothing was wrong with a token. */
const STILL_PENDING: ReadonlySet<TimestampFailureReason> = new Set(['UNREACHABLE', 'TIMEOUT', 'BAD_RESPONSE']);

/**
 * The status a record's timestamp takes after one attempt: GRANTED with a checked token; PENDING while the TSA is
 * down, slow or answering garbage; FAILED when it answered with a token (or a refusal) that did not pass the checks.
 * Both PENDING and FAILED are retried.
 */
export function timestampStatusAfter(result: TimestampResult): TimestampStatus {
  if (result.ok) return 'GRANTED';
  return STILL_PENDING.has(result.failure.reason) ? 'PENDING' : 'FAILED';
}

const BASE_DELAY_MS = 5_000;
const MAX_DELAY_MS = 30 * 60_000;

/** Exponential backoff from 5 s, doubling per failed attempt up to 30 min, with ±20% jitter so instances spread out. */
export function timestampRetryDelayMs(failedAttempts: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 20);
  const delay = Math.min(BASE_DELAY_MS * 2 ** exponent, MAX_DELAY_MS);
  return Math.round(delay * (0.8 + 0.4 * random()));
}
