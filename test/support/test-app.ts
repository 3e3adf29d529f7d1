import { randomBytes } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { AppModule, AppOptions } from '../../src/app.module';
import { createApp } from '../../src/common/http/create-app';
import { EmbeddedSimulatorsModule } from '../../src/simulators/embedded/embedded-simulators.module';
import { testEngine } from './engine';

/** No vendor configured (both in-process simulators), with short poll intervals. */
export const EMBEDDED_DEFAULTS_ENV: Record<string, string | undefined> = {
  COSS_BASE_URL: undefined,
  ANHUI_SCAN_BASE_URL: undefined,
  CA_PROVIDERS: undefined,
  CA_POLL_INTERVAL_MS: '100',
  ANHUI_POLL_INTERVAL_MS: '100',
};

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<NestFastifyApplication['getHttpServer']>;
  connection: Connection;
  dbName: string;
  close(): Promise<void>;
}

/**
 * Starts the real application (same factory and modules as main.ts outside production) on the test engine (or the
 * `MONGODB_URI` given in `env`), in a database of its own, with the given environment on top of the test defaults;
 * `beforeListen` may add hooks to observe it. Listens on a loopback port so that servers see real HTTP.
 */
export async function startTestApp(
  env: Record<string, string | undefined> = {},
  options: AppOptions = {},
  beforeListen?: (app: NestFastifyApplication) => void,
): Promise<TestApp> {
  const dbName = `t_${randomBytes(5).toString('hex')}`;
  const saved = { ...process.env };
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGODB_URI: env.MONGODB_URI ?? testEngine().uri,
    MONGODB_DB: dbName,
    // Every spec's PC is 127.0.0.1: the per-address login limits are set high here and exercised in their own spec.
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_MAX_PENDING_PER_ADDRESS: '10000',
  });
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    const app = await createApp(() => AppModule.register({ imports: [EmbeddedSimulatorsModule], ...options }));
    beforeListen?.(app);
    await app.listen(0, '127.0.0.1');
    const connection = app.get<Connection>(getConnectionToken());
    return {
      app,
      http: app.getHttpServer(),
      connection,
      dbName,
      close: async () => {
        await connection.dropDatabase().catch(() => undefined);
        await app.close();
      },
    };
  } finally {
    process.env = saved;
  }
}
