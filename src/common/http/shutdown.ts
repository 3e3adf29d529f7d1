import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EventStreams } from './sse';

export const SHUTDOWN_BUDGET_MS = 5000;

/**
 * On SIGTERM or SIGINT: end every event stream with `event: end` {"reason":"SHUTDOWN"}, let in-flight requests finish,
 * stop pollers and sweepers (Nest's shutdown hooks), close the database, and exit, in one log line. A shutdown that
 * overruns its budget is cut short, so an orchestrator's grace period is never the thing that ends the process.
 */
export function closeOnSignals(app: NestFastifyApplication, budgetMs = SHUTDOWN_BUDGET_MS): void {
  const logger = new Logger('Shutdown');
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    const started = process.hrtime.bigint();
    const elapsed = () => (Number(process.hrtime.bigint() - started) / 1e6).toFixed(0);
    setTimeout(() => {
      logger.error(`${signal}: not shut down within ${budgetMs} ms; exiting now`);
      process.exit(1);
    }, budgetMs - 250).unref();
    const fastify = app.getHttpAdapter().getInstance() as unknown as { eventStreams?: EventStreams };
    const streams = fastify.eventStreams?.endAll('SHUTDOWN') ?? 0;
    app.close().then(
      () => {
        logger.log(`${signal}: shut down in ${elapsed()} ms (${streams} event streams ended)`);
        process.exit(0);
      },
      (error: Error) => {
        logger.error(`${signal}: shutdown failed after ${elapsed()} ms: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
