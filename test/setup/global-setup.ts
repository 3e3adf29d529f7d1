import { selectMongoEngine } from '../../src/database/mongo-engine';

/** Starts (or connects to) one database engine for the whole end-to-end run and tells the workers about it. */
export default async function globalSetup(): Promise<void> {
  const engine = await selectMongoEngine({
    uri: process.env.MONGODB_URI,
    log: { log: () => undefined, warn: (message) => process.stderr.write(`${message}\n`) },
  });
  (globalThis as { __MNIS_ENGINE__?: unknown }).__MNIS_ENGINE__ = engine;
  process.env.MNIS_TEST_MONGODB_URI = engine.uri;
  process.env.MNIS_TEST_ENGINE = JSON.stringify({
    kind: engine.kind,
    product: engine.server.product,
    description: engine.describe(),
    capabilities: engine.capabilities,
    clientOptions: engine.clientOptions,
  });
  process.stderr.write(`\n[e2e] MongoDB engine: ${engine.describe()}\n`);
}
