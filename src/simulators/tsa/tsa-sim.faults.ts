export const TSA_FAULT_KINDS = ['down', 'slow', 'garbage', 'bad-signature', 'wrong-nonce', 'not-granted'] as const;
export type TsaFaultKind = (typeof TSA_FAULT_KINDS)[number];

export interface TsaSimFault {
  kind: TsaFaultKind;
  /** How many answers the fault affects; unlimited until cleared when absent. */
  times?: number;
  /** For 'slow': how long to wait before answering normally (default 30000). */
  delayMs?: number;
}

interface ActiveFault {
  fault: TsaSimFault;
  remaining: number;
}

/** Faults injected by tests; the first one added shapes the next answer and is used up by it. */
export class TsaSimFaults {
  private active: ActiveFault[] = [];

  add(fault: TsaSimFault): void {
    this.active.push({ fault: { ...fault }, remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.active = [];
  }

  list(): TsaSimFault[] {
    return this.active.map(({ fault, remaining }) => ({
      ...fault,
      ...(Number.isFinite(remaining) ? { times: remaining } : {}),
    }));
  }

  take(): TsaSimFault | undefined {
    const entry = this.active[0];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.active.shift();
    return entry.fault;
  }
}

/** Checks a fault sent to the control route; answers the fault or what is wrong with it. */
export function parseTsaFault(body: unknown): { fault: TsaSimFault } | { error: string } {
  if (typeof body !== 'object' || body === null) return { error: 'body must be a JSON object' };
  const { kind, times, delayMs } = body as Record<string, unknown>;
  if (!TSA_FAULT_KINDS.includes(kind as TsaFaultKind))
    return { error: `kind must be one of ${TSA_FAULT_KINDS.join(', ')}` };
  if (times !== undefined && !(Number.isInteger(times) && (times as number) > 0))
    return { error: 'times must be a positive integer' };
  if (delayMs !== undefined && !(Number.isInteger(delayMs) && (delayMs as number) >= 0))
    return { error: 'delayMs must be a non-negative integer' };
  return {
    fault: {
      kind: kind as TsaFaultKind,
      ...(times !== undefined ? { times: times as number } : {}),
      ...(delayMs !== undefined ? { delayMs: delayMs as number } : {}),
    },
  };
}
