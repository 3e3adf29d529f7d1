import { CossOperation } from '../../ca/vendors/coss/coss.wire';

export const COSS_OPERATIONS: readonly CossOperation[] = [
  'startAutoSign',
  'getSignResult',
  'queryImage',
  'autoSign',
  'endAutoSign',
];

export const FAULT_KINDS = ['error', 'timeout', 'malformed', 'wrong-signature', 'http-error', 'drop'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface CossSimFault {
  operation: CossOperation | '*';
  kind: FaultKind;
  /** Vendor code for 'error' (default 500); HTTP status for 'http-error' (default 502). */
  status?: number;
  message?: string;
  /** How many answers the fault affects; unlimited until cleared when absent. */
  times?: number;
  /** For 'timeout': how long to hang before answering normally (default 30000). */
  delayMs?: number;
  /** For 'malformed': truncated JSON (default) or a success envelope whose data lacks the required fields. */
  variant?: 'not-json' | 'missing-fields';
}

interface ActiveFault {
  fault: CossSimFault;
  remaining: number;
}

/** 'wrong-signature' only means something where a signature is answered. */
export function faultApplies(kind: FaultKind, operation: CossOperation): boolean {
  return kind !== 'wrong-signature' || operation === 'getSignResult' || operation === 'autoSign';
}

/** Faults injected by tests; the first one added that matches an operation wins. */
export class CossSimFaults {
  private active: ActiveFault[] = [];

  add(fault: CossSimFault): void {
    this.active.push({ fault: { ...fault }, remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.active = [];
  }

  list(): CossSimFault[] {
    return this.active.map(({ fault, remaining }) => ({
      ...fault,
      ...(Number.isFinite(remaining) ? { times: remaining } : {}),
    }));
  }

  /** The fault that will shape this operation's answer, without using it up. */
  peek(operation: CossOperation): CossSimFault | undefined {
    return this.find(operation)?.fault;
  }

  /** Counts one use of the fault that `peek` returned. */
  consume(fault: CossSimFault): void {
    const entry = this.active.find((candidate) => candidate.fault === fault);
    if (!entry) return;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.active = this.active.filter((candidate) => candidate !== entry);
  }

  private find(operation: CossOperation): ActiveFault | undefined {
    return this.active.find(
      ({ fault }) => (fault.operation === '*' || fault.operation === operation) && faultApplies(fault.kind, operation),
    );
  }
}

/** Checks a fault sent to the control route; answers the fault or what is wrong with it. */
export function parseFault(body: unknown): { fault: CossSimFault } | { error: string } {
  if (typeof body !== 'object' || body === null) return { error: 'body must be a JSON object' };
  const input = body as Record<string, unknown>;
  const { operation, kind, status, message, times, delayMs, variant } = input;
  if (operation !== '*' && !COSS_OPERATIONS.includes(operation as CossOperation)) {
    return { error: `operation must be '*' or one of ${COSS_OPERATIONS.join(', ')}` };
  }
  if (!FAULT_KINDS.includes(kind as FaultKind)) return { error: `kind must be one of ${FAULT_KINDS.join(', ')}` };
  if (status !== undefined && !Number.isInteger(status)) return { error: 'status must be an integer' };
  if (kind === 'http-error' && status !== undefined && ((status as number) < 400 || (status as number) > 599)) {
    return { error: 'status for http-error must be 400-599' };
  }
  if (message !== undefined && typeof message !== 'string') return { error: 'message must be a string' };
  if (times !== undefined && !(Number.isInteger(times) && (times as number) > 0))
    return { error: 'times must be a positive integer' };
  if (delayMs !== undefined && !(Number.isInteger(delayMs) && (delayMs as number) >= 0)) {
    return { error: 'delayMs must be a non-negative integer' };
  }
  if (variant !== undefined && variant !== 'not-json' && variant !== 'missing-fields') {
    return { error: "variant must be 'not-json' or 'missing-fields'" };
  }
  return {
    fault: {
      operation: operation as CossSimFault['operation'],
      kind: kind as FaultKind,
      ...(status !== undefined ? { status: status as number } : {}),
      ...(message !== undefined ? { message: message as string } : {}),
      ...(times !== undefined ? { times: times as number } : {}),
      ...(delayMs !== undefined ? { delayMs: delayMs as number } : {}),
      ...(variant !== undefined ? { variant: variant as CossSimFault['variant'] } : {}),
    },
  };
}
