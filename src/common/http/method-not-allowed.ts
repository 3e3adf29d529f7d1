import FindMyWay from 'find-my-way';
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { GatewayError } from '../errors';
import { sendError } from '../errors/error-envelope.filter';
import type { Locale } from '../errors/messages';

export class MethodNotAllowedError extends GatewayError {
  readonly httpStatus = 405;
  readonly type = 'METHOD_NOT_ALLOWED';
}

/**
 * A request that matches no route but whose path another method serves answers 405 with `Allow`, not 404. Fastify's
 * router only answers "no route", so the routes are mirrored into a router of our own as they are registered; the
 * catch-all `*` routes (CORS preflight) do not make a path known. Call before any route is registered.
 */
export function answerMethodNotAllowed(fastify: FastifyInstance, locale: Locale): void {
  const router = FindMyWay();
  const methods = new Set<string>();
  fastify.addHook('onRoute', (route) => {
    if (route.url === '*' || route.url === '/*') return;
    for (const method of ([] as HTTPMethods[]).concat(route.method)) {
      methods.add(method);
      try {
        router.on(method as never, route.url, () => undefined);
      } catch {
        // Already known (Fastify's own HEAD twin of a GET route).
      }
    }
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const path = request.url.split('?')[0];
    const allowed = [...methods].filter((method) => method !== request.method && router.find(method as never, path));
    if (allowed.length === 0) return done();
    void reply.header('allow', allowed.sort().join(', '));
    sendError(
      reply,
      request,
      new MethodNotAllowedError(`${request.method} is not allowed here; allowed: ${allowed.join(', ')}`),
      locale,
    );
  });
}
