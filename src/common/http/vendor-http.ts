import { channel } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@nestjs/common';
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

export interface VendorCallOptions {
  context: VendorErrorContext;
  timeoutMs: number;
  /** Tries after the first: for reads only, since a write may have been applied before its answer was lost. */
  retries: number;
  logger?: Logger;
}

/**
 * The one retry rule of vendor HTTP: a transient failure (timeout, unreachable, 5xx) is tried again after 100 ms,
 * 200 ms, … up to `retries` times; anything else, and the last failure, is thrown as the typed vendor error. Each try
 * is timed and published on {@link vendorCalls}.
 */
export async function callVendor<T>(once: () => Promise<T>, options: VendorCallOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await timed(once, options);
    } catch (error) {
      const typed = transportError(error, options.context, options.timeoutMs);
      if (attempt > options.retries || !isTransient(typed)) throw typed;
      const { vendor, operation } = options.context;
      options.logger?.warn({ vendor, operation, attempt, type: typed.type }, 'Vendor read failed; retrying');
      await sleep(100 * 2 ** (attempt - 1));
    }
  }
}

/** One vendor HTTP exchange, as published on {@link vendorCalls}: `outcome` is `OK` or the typed error's type. */
export interface VendorCall {
  vendor: string;
  operation: string;
  outcome: string;
  seconds: number;
}

/** Every vendor HTTP exchange is published here (metrics subscribes); publishing without a subscriber costs nothing. */
export const vendorCalls = channel('mnis-ca-gateway:vendor-call');

async function timed<T>(once: () => Promise<T>, { context, timeoutMs }: VendorCallOptions): Promise<T> {
  const started = performance.now();
  let outcome = 'OK';
  try {
    return await once();
  } catch (error) {
    outcome = transportError(error, context, timeoutMs).type;
    throw error;
  } finally {
    if (vendorCalls.hasSubscribers) {
      const call: VendorCall = {
        vendor: context.vendor,
        operation: context.operation,
        outcome,
        seconds: (performance.now() - started) / 1000,
      };
      vendorCalls.publish(call);
    }
  }
}
