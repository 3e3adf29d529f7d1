import { selectMongoEngine } from '../src/database/mongo-engine';

/**
 * The embedded database in its own process, so that the gateway under load measures itself and not the engine.
 * Prints one JSON line ({ uri, description, kind, clientOptions }) and stays alive until SIGTERM or SIGINT.
 */
async function main(): Promise<void> {
  const engine = await selectMongoEngine({
    log: { log: (m) => process.stderr.write(`${m}\n`), warn: (m) => process.stderr.write(`${m}\n`) },
  });
  process.stdout.write(
    `${JSON.stringify({ uri: engine.uri, description: engine.describe(), kind: engine.kind, clientOptions: engine.clientOptions })}\n`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    engine.stop().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: Error) => {
  process.stderr.write(`embedded database failed to start: ${error.message}\n`);
  process.exit(1);
});
