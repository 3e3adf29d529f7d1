import type { MongoEngine } from '../../src/database/mongo-engine';

export default async function globalTeardown(): Promise<void> {
  const engine = (globalThis as { __MNIS_ENGINE__?: MongoEngine }).__MNIS_ENGINE__;
  await engine?.stop();
}
