import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';

/** Probes poll these every few seconds; their lines would drown the others. */
const NOT_LOGGED = new Set(['/health', '/health/ready']);

/**
 * One line per answered request, written when the response is done, so it carries the status that was sent and the
 * time taken (pino-http's own line, written from Nest's middleware, saw the response before Fastify had sent it).
 */
export function registerAccessLog(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    writeAccessLine(request, reply.statusCode, reply.elapsedTime, 'request completed');
    done();
  });
}

/**
 * Writes one access-log line. Event streams hijack their reply, so Fastify never calls onResponse for them: the
 * stream writes its own line when it closes (status 200, the time it was open).
 */
export function writeAccessLine(request: FastifyRequest, statusCode: number, elapsedMs: number, msg: string): void {
  const route = request.routeOptions.url;
  if (route !== undefined && NOT_LOGGED.has(route)) return;
  // Set by nestjs-pino when its middleware is configured; an app built without LoggerModule has no access log.
  const logger = PinoLogger.root as PinoLogger['logger'] | undefined;
  if (!logger) return;
  const level = statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
  logger[level](
    {
      // pino-http's serializers shape these: the path without its query (handles redacted), the status as sent.
      req: { id: request.id, method: request.method, url: request.url },
      res: { statusCode, headersSent: true },
      route,
      ip: request.ip,
      apiKey: (request as FastifyRequest & { apiKeyId?: string }).apiKeyId,
      responseTime: Math.round(elapsedMs),
    },
    msg,
  );
}
