import { mongo } from 'mongoose';
import { GatewayError } from './gateway.errors';

/** The database did not answer in time (down, frozen, unreachable): retry later, nothing was half-written by us. */
export class DatabaseUnavailableError extends GatewayError {
  readonly httpStatus = 503;
  readonly type = 'DATABASE_UNAVAILABLE';
}

/**
 * Driver and mongoose errors that mean "no answer from the server", as opposed to a refused or invalid command: every
 * network error of the driver mongoose uses (timeouts and cleared pools included), and the others by name, which also
 * holds for another copy of the driver.
 */
const UNAVAILABLE_NAMES = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'PoolClearedOnNetworkError',
  'MongoPoolClosedError',
  'MongoServerClosedError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoOperationTimeoutError',
  'MongoWaitQueueTimeoutError',
]);

/** Server codes for a node that is shutting down or no longer primary: the same for a client as no answer. */
const UNAVAILABLE_CODES = new Set([91, 189, 10107, 11600, 11602, 13435, 13436]);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof mongo.MongoNetworkError || UNAVAILABLE_NAMES.has(error.name)) return true;
  const code = (error as { code?: unknown }).code;
  if (error.name === 'MongoServerError' && typeof code === 'number' && UNAVAILABLE_CODES.has(code)) return true;
  // bufferCommands is off, but a model created with its own options could still buffer and time out.
  return error.name === 'MongooseError' && /buffering timed out/.test(error.message);
}

export function databaseUnavailable(cause: unknown): DatabaseUnavailableError {
  return new DatabaseUnavailableError('The database is not answering; try again shortly', {
    cause: cause instanceof Error ? cause.name : undefined,
  });
}
