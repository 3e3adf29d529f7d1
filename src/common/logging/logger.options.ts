import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream, LoggerOptions } from 'pino';
import type { Options } from 'pino-http';
import { REDACTED, scrubObject, scrubText } from './redaction';

export const REQUEST_ID_HEADER = 'x-request-id';
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Keeps a caller's request id when it is harmless, else makes one (Fastify's genReqId; echoed on every reply). */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTED_REQUEST_ID.test(given) ? given : randomUUID();
}

/** The pino settings every log line goes through: redaction by key and scrubbing of free text. */
export function pinoLoggerOptions(level: string): LoggerOptions {
  return {
    level,
    formatters: { log: (object) => scrubObject(object) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)) as Parameters<typeof method>,
        );
      },
    },
  };
}

/** Paths that carry a per-login handle: the SSE route of a login or signing job, and every operation route by id. */
const HANDLE_IN_PATH = [
  /^(\/coss\/service\/v1\/signResult\/)[^/]+/,
  /^(\/ca\/operations\/)(?!(?:encrypt|decrypt|seal|unseal|seal-data|result)(?:\/|$))[^/]+/,
];

/** The access-log path with any handle replaced, so the log never holds a secret that opens a login. */
export function redactPath(path: string): string {
  return HANDLE_IN_PATH.reduce((redacted, pattern) => redacted.replace(pattern, `$1${REDACTED}`), path);
}

export function pinoOptions(level: string, stream?: DestinationStream): Params {
  const options: Options = {
    ...pinoLoggerOptions(level),
    // The URL alone: query strings and bodies may carry identifiers that have no place in logs.
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: redactPath(req.url.split('?')[0]),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    // The access log is written by registerAccessLog, once Fastify has sent the response.
    autoLogging: false,
  };
  return { pinoHttp: stream ? [options, stream] : options };
}
