import { CossSimulator } from './coss-simulator';

/** Runs the COSS simulator as its own process (`npm run sim:coss`). */
async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    process.stderr.write(
      'COSS simulator refused to start: simulators are never for production (NODE_ENV=production)\n',
    );
    process.exit(1);
  }
  const port = integerEnv('COSS_SIM_PORT', 8701);
  const latencyMs = integerEnv('COSS_SIM_LATENCY_MS', 0);
  const journalSize = integerEnv('COSS_SIM_JOURNAL_SIZE', 100);
  const sim = await CossSimulator.start({
    port,
    host: process.env.COSS_SIM_HOST || '127.0.0.1',
    appSecret: process.env.COSS_SIM_APP_SECRET || undefined,
    latencyMs,
    journalSize,
    log: true,
  });
  process.stdout.write(`COSS simulator listening on ${sim.url}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`COSS simulator stopping (${signal})\n`);
    sim.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`COSS simulator failed to stop: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function integerEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`COSS simulator: ${name} must be a non-negative integer\n`);
    process.exit(1);
  }
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`COSS simulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
