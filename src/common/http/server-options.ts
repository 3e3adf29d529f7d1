import { readFileSync } from 'node:fs';
import type { FastifyServerOptions } from 'fastify';
import type { EnvironmentVariables } from '../../config/environment';
import { sendError } from '../errors/error-envelope.filter';
import type { Locale } from '../errors/messages';
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
    ...(env.TLS_CERT_FILE && env.TLS_KEY_FILE
      ? { https: { cert: readFileSync(env.TLS_CERT_FILE), key: readFileSync(env.TLS_KEY_FILE) } }
      : {}),
  };
}
