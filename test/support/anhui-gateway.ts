import { AnhuiSimulator } from '../../src/simulators/anhui/anhui-simulator';
import { startTestApp, TestApp } from './test-app';

/** How often the gateway asks the simulator about a job in these specs. */
export const ANHUI_POLL_MS = 100;

export interface AnhuiGateway {
  sim: AnhuiSimulator;
  t: TestApp;
  close(): Promise<void>;
}

/**
 * For a spec's beforeAll: the gateway (COSS and Anhui enabled) against a scan-service simulator of its own over
 * loopback, polling every ANHUI_POLL_MS; `env` adds to or overrides those settings.
 */
export async function startAnhuiGateway(env: Record<string, string> = {}): Promise<AnhuiGateway> {
  const sim = await AnhuiSimulator.start({ port: 0 });
  let t: TestApp;
  try {
    t = await startTestApp({
      ANHUI_SCAN_BASE_URL: sim.url,
      CA_PROVIDERS: 'coss,anhui',
      CA_POLL_INTERVAL_MS: String(ANHUI_POLL_MS),
      ANHUI_POLL_INTERVAL_MS: String(ANHUI_POLL_MS),
      ...env,
    });
  } catch (error) {
    await sim.stop();
    throw error;
  }
  return {
    sim,
    t,
    close: async () => {
      await t.close();
      await sim.stop();
    },
  };
}
