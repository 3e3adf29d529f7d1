import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyServerOptions } from 'fastify';
import type { EnvironmentVariables } from '../../config/environment';
import { sendError } from '../errors/error-envelope.filter';
import { catalogueMessage, type Locale } from '../errors/messages';
import { errorEnvelope } from '../envelope';
import { requestIdFor } from '../logging/logger.options';

export const DEFAULT_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/** TRUST_PROXY as proxy-addr reads it: false (the socket's address, always) unless proxies are listed. */
export function trustedProxies(env: EnvironmentVariables): string[] | false {
  const listed = (env.TRUST_PROXY ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return listed.length > 0 ? listed : false;
}

const CLIENT_ERRORS: Record<string, { status: number; type: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, type: 'REQUEST_TIMEOUT' },
  HPE_HEADER_OVERFLOW: { status: 431, type: 'HEADERS_TOO_LARGE' },
};

/**
 * Requests Node's parser refuses (an over-long request line or headers, garbage, a timeout) never become a request;
 * they still get the envelope, in the default language since no header could be read.
 */
function clientErrorHandler(locale: Locale) {
  return (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const { status, type } = CLIENT_ERRORS[error.code ?? ''] ?? { status: 400, type: 'BAD_REQUEST' };
    const body = JSON.stringify(
      errorEnvelope('mnis', status, catalogueMessage(type, locale, status), { type, code: error.code }),
    );
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  };
}

/** The Fastify server settings of the gateway, shared by main.ts and the end-to-end specs. */
export function serverOptions(env: EnvironmentVariables): FastifyServerOptions & { https?: object } {
  const locale = (env.DEFAULT_LOCALE ?? 'zh-CN') as Locale;
  return {
    bodyLimit: env.BODY_LIMIT_BYTES ?? DEFAULT_BODY_LIMIT_BYTES,
    trustProxy: trustedProxies(env),
    logger: false,
    genReqId: requestIdFor,
    // Bad percent-encoding and over-long path parameters are found by the router, before Nest sees the request.
    frameworkErrors: (error, request, reply) => sendError(reply, request, error, locale),
    clientErrorHandler: clientErrorHandler(locale),
    ...(env.TLS_CERT_FILE && env.TLS_KEY_FILE
      ? { https: { cert: readFileSync(env.TLS_CERT_FILE), key: readFileSync(env.TLS_KEY_FILE) } }
      : {}),
  };
}
