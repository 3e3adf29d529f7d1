import type { MongoCapabilities } from '../../src/database/mongo-capabilities';

export interface TestEngine {
  kind: string;
  /** What the server really is (mongodb, mongo-java-server, ferretdb, congodb), whatever started it. */
  product: string;
  description: string;
  capabilities: MongoCapabilities;
  clientOptions: Record<string, unknown>;
  uri: string;
}

export function testEngine(): TestEngine {
  const raw = process.env.MNIS_TEST_ENGINE;
  const uri = process.env.MNIS_TEST_MONGODB_URI;
  if (!raw || !uri) throw new Error('The e2e global setup did not run');
  return { ...(JSON.parse(raw) as Omit<TestEngine, 'uri'>), uri };
}

/** `it` when the engine has the capability, else a visibly skipped test whose name says why. */
export function itWhen(capability: keyof MongoCapabilities) {
  const engine = testEngine();
  if (engine.capabilities[capability]) return it;
  return (name: string, fn?: jest.ProvidesCallback, timeout?: number) =>
    it.skip(`${name} [SKIPPED: ${engine.product} engine lacks ${capability}]`, fn, timeout);
}
