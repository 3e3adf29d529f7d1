import FindMyWay from 'find-my-way';
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { GatewayError } from '../errors';
import { sendError } from '../errors/error-envelope.filter';
import type { Locale } from '../errors/messages';

export class MethodNotAllowedError extends GatewayError {
  readonly httpStatus = 405;
  readonly type = 'METHOD_NOT_ALLOWED';
}

/** How general a route template is: its parameters and wildcards (`/ca/operations/:operationId` is 1, `seal` 0). */
function generality(template: string): number {
  return (template.match(/[:*]/g) ?? []).length;
}

/**
 * A request that matches no route but whose path another method serves answers 405 with `Allow`, not 404. Fastify's
 * router only answers "no route", so the routes are mirrored into a router of our own as they are registered; the
 * catch-all `*` routes (CORS preflight) do not make a path known. Call before any route is registered.
 *
 * A path names the resource of its most specific template: `GET /ca/operations/seal` is the POST-only `seal` route
 * asked with the wrong method (405, Allow: POST), not an operation whose id is "seal", although the parameter route
 * would match it.
 */
export function answerMethodNotAllowed(fastify: FastifyInstance, locale: Locale): void {
  const router = FindMyWay();
  const methods = new Set<string>();
  fastify.addHook('onRoute', (route) => {
    if (route.url === '*' || route.url === '/*') return;
    for (const method of ([] as HTTPMethods[]).concat(route.method)) {
      methods.add(method);
      try {
        router.on(method as never, route.url, () => undefined, { template: route.url });
      } catch {
        // Already known (Fastify's own HEAD twin of a GET route).
      }
    }
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    const served = request.is404 ? undefined : request.routeOptions.url;
    if (served === '*' || served === '/*') return done();
    const path = request.url.split('?')[0];
    const matches = [...methods].flatMap((method) => {
      const found = router.find(method as never, path) as { store?: { template: string } } | null;
      return found?.store ? [{ method, generality: generality(found.store.template) }] : [];
    });
    const best = Math.min(...matches.map((m) => m.generality));
    const allowed = matches.filter((m) => m.generality === best).map((m) => m.method);
    if (allowed.length === 0 || allowed.includes(request.method)) return done();
    void reply.header('allow', allowed.sort().join(', '));
    sendError(
      reply,
      request,
      new MethodNotAllowedError(`${request.method} is not allowed here; allowed: ${allowed.join(', ')}`),
      locale,
    );
  });
}
