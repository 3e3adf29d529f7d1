import { AxiosError } from 'axios';
import {
  VendorError,
  VendorErrorContext,
  VendorTimeoutError,
  VendorUnavailableError,
  VendorBadResponseError,
} from '../errors';

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ERR_CANCELED']);

/** Turns a transport failure into the typed vendor error: timeouts become 504, everything else 502. */
export function transportError(error: unknown, context: VendorErrorContext, timeoutMs: number): VendorError {
  if (error instanceof VendorError) return error;
  const axiosError = error as AxiosError;
  const code = axiosError.code ?? '';
  if (TIMEOUT_CODES.has(code) || /timeout/i.test(axiosError.message ?? '')) {
    return new VendorTimeoutError(
      `${context.vendor} ${context.operation} did not answer within ${timeoutMs} ms`,
      context,
    );
  }
  if (axiosError.response) {
    return new VendorBadResponseError(
      `${context.vendor} ${context.operation} answered HTTP ${axiosError.response.status}`,
      { ...context, vendorCode: axiosError.response.status },
    );
  }
  return new VendorUnavailableError(
    `${context.vendor} ${context.operation} is unreachable (${code || axiosError.message})`,
    context,
  );
}

/** Worth another try: the vendor may answer next time. Refusals and garbage are not retried. */
export function isTransient(error: VendorError): boolean {
  if (error instanceof VendorTimeoutError || error instanceof VendorUnavailableError) return true;
  const status = Number(error.context.vendorCode);
  return error instanceof VendorBadResponseError && status >= 500 && status < 600;
}

export function parseJsonBody(raw: unknown, context: VendorErrorContext): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new VendorBadResponseError(
      `${context.vendor} ${context.operation} answered something that is not JSON`,
      context,
    );
  }
}

export { setTimeout as sleep } from 'node:timers/promises';
