import { AnhuiSimulator } from './anhui-simulator';

/** `npm run sim:anhui`: the simulator as its own process, for running the gateway with no vendor at all. */
async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    console.error('The Anhui simulator signs with test keys and must not run with NODE_ENV=production.');
    process.exitCode = 1;
    return;
  }
  const port = Number(process.env.ANHUI_SIM_PORT ?? 8702);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`ANHUI_SIM_PORT must be a port number, got ${process.env.ANHUI_SIM_PORT}`);
    process.exitCode = 1;
    return;
  }
  const sim = await AnhuiSimulator.start({
    port,
    host: process.env.ANHUI_SIM_HOST ?? '127.0.0.1',
    accountName: process.env.ANHUI_SIM_ACCOUNT || undefined,
    password: process.env.ANHUI_SIM_PASSWORD || undefined,
  });
  console.log(`Anhui scan-service simulator listening on ${sim.url}`);
  for (const user of sim.users.list()) {
    console.log(`  user ${user.code} (${user.name}, ${user.keyAlgorithm}, serial ${user.cert.serialNumber})`);
  }
  console.log(`  account ${sim.accountName}; control API under ${sim.url}/sim/`);
  const shutdown = (): void => {
    sim.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Stopping the simulator failed', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error('The Anhui simulator failed to start', error);
  process.exitCode = 1;
});
