import type { FaultEngine } from './engine';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __FAULTS_ENGINE__?: FaultEngine }).__FAULTS_ENGINE__?.stop();
}
