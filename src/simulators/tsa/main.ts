import { TsaSimulator } from './tsa-simulator';

/** Runs the TSA simulator as its own process (`npm run sim:tsa`). */
async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    process.stderr.write('TSA simulator refused to start: simulators are never for production (NODE_ENV=production)\n');
    process.exit(1);
  }
  const raw = process.env.TSA_SIM_PORT;
  const port = raw ? Number(raw) : 8703;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('TSA simulator: TSA_SIM_PORT must be a port number\n');
    process.exit(1);
  }
  const sim = await TsaSimulator.start({ port, host: process.env.TSA_SIM_HOST || '127.0.0.1', log: true });
  process.stdout.write(
    `TSA simulator (NOT FOR PRODUCTION: test keys) listening on ${sim.url}: SM2 ${sim.urlFor('SM2')}, RSA ${sim.urlFor('RSA')}; roots at ${sim.url}/sim/ca\n`,
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`TSA simulator stopping (${signal})\n`);
    sim.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`TSA simulator failed to stop: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`TSA simulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
