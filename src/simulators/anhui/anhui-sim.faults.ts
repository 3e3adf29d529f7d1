import { AnhuiSimError } from './anhui-sim.errors';

export const ANHUI_FAULT_KINDS = ['error', 'timeout', 'malformed', 'http-error', 'revoke-tokens'] as const;
export type AnhuiFaultKind = (typeof ANHUI_FAULT_KINDS)[number];

export interface AnhuiFault {
  /** '/grantToken', '/initMessage', … '/api/getSeal', or '*' for every scan-service operation. */
  operation: string;
  kind: AnhuiFaultKind;
  /** 'error': the invokeCode answered (default 0); for /api/getSeal the `code` (default '9999'). */
  invokeCode?: number;
  failMessage?: string;
  /** How many matching requests it hits; unlimited until cleared when omitted. */
  times?: number;
  /** 'timeout': how long the answer is held back (default 30 s). */
  delayMs?: number;
  /** 'http-error': the HTTP status (default 502). */
  httpStatus?: number;
}

interface ActiveFault {
  fault: AnhuiFault;
  remaining: number;
}

/** Injected failures, consumed first-added first by matching requests. */
export class AnhuiSimFaults {
  private active: ActiveFault[] = [];

  add(fault: AnhuiFault): void {
    this.active.push({ fault: validated(fault), remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.active = [];
  }

  list(): AnhuiFault[] {
    return this.active.map(({ fault, remaining }) => ({
      ...fault,
      ...(Number.isFinite(remaining) ? { times: remaining } : {}),
    }));
  }

  take(operation: string): AnhuiFault | undefined {
    const hit = this.active.find(({ fault }) => fault.operation === '*' || fault.operation === operation);
    if (!hit) return undefined;
    hit.remaining -= 1;
    if (hit.remaining <= 0) this.active = this.active.filter((entry) => entry !== hit);
    return hit.fault;
  }
}

function validated(input: AnhuiFault): AnhuiFault {
  const fault: unknown = input;
  if (!fault || typeof fault !== 'object') throw new AnhuiSimError(400, 'fault must be an object');
  const { operation, kind, invokeCode, failMessage, times, delayMs, httpStatus } = input;
  if (typeof operation !== 'string' || !(operation === '*' || operation.startsWith('/'))) {
    throw new AnhuiSimError(400, "operation must be '*' or a path such as '/grantToken'");
  }
  if (!ANHUI_FAULT_KINDS.includes(kind))
    throw new AnhuiSimError(400, `kind must be one of ${ANHUI_FAULT_KINDS.join(', ')}`);
  const optionalNumbers = { invokeCode, times, delayMs, httpStatus };
  for (const [name, value] of Object.entries(optionalNumbers)) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new AnhuiSimError(400, `${name} must be a number`);
    }
  }
  if (times !== undefined && (!Number.isInteger(times) || times < 1))
    throw new AnhuiSimError(400, 'times must be >= 1');
  if (delayMs !== undefined && delayMs < 0) throw new AnhuiSimError(400, 'delayMs must be >= 0');
  if (httpStatus !== undefined && (httpStatus < 400 || httpStatus > 599))
    throw new AnhuiSimError(400, 'httpStatus must be 4xx or 5xx');
  if (failMessage !== undefined && typeof failMessage !== 'string')
    throw new AnhuiSimError(400, 'failMessage must be a string');
  return { operation, kind, invokeCode, failMessage, times, delayMs, httpStatus };
}
