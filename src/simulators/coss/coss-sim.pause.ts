import { setTimeout as sleep } from 'node:timers/promises';

/** Waits `ms`, or less when any signal aborts first; answers whether the full wait elapsed. */
export async function pause(ms: number, signals: AbortSignal[]): Promise<boolean> {
  if (ms <= 0) return true;
  try {
    await sleep(ms, undefined, { signal: AbortSignal.any(signals), ref: false });
    return true;
  } catch {
    return false;
  }
}
