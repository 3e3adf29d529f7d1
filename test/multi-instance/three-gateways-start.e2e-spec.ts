import { randomBytes } from 'node:crypto';
import { getConnectionToken } from '@nestjs/mongoose';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { createApp } from '../../src/common/http/create-app';
import { testEngine } from '../support/engine';

const ROUNDS = 10;
const GATEWAYS = 3;

/**
 * Three gateways (three Nest applications, each with its own connection pool) started at the same moment on one
 * database. The environment is set once around all three starts, since configuration is read while they start.
 */
async function startGatewaysAtOnce(dbName: string): Promise<PromiseSettledResult<NestFastifyApplication>[]> {
  const saved = { ...process.env };
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGODB_URI: testEngine().uri,
    MONGODB_DB: dbName,
    // A vendor address that is never called while starting: no in-process simulator to build per gateway.
    CA_PROVIDERS: 'coss',
    COSS_BASE_URL: 'http://127.0.0.1:9',
  });
  try {
    return await Promise.allSettled(
      Array.from({ length: GATEWAYS }, async () => {
        const app = await createApp(() => AppModule.register({}));
        await app.listen(0, '127.0.0.1');
        return app;
      }),
    );
  } finally {
    process.env = saved;
  }
}

describe('Three gateways starting at once on a fresh database', () => {
  it(`all start, ${ROUNDS} times in a row, with the unique indexes in place once they listen`, async () => {
    const failures: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const started = await startGatewaysAtOnce(`t_start_${randomBytes(5).toString('hex')}`);
      const apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      for (const s of started) if (s.status === 'rejected') failures.push(`round ${round}: ${String(s.reason)}`);
      try {
        for (const app of apps) {
          const indexes = await app.get<Connection>(getConnectionToken()).collection('caExtendedData').indexes();
          if (!indexes.some((index) => index.unique && index.key.idempotencyKey === 1))
            failures.push(`round ${round}: no unique index on caExtendedData.idempotencyKey`);
          const ready = await request(app.getHttpServer()).get('/health/ready');
          if (ready.status !== 200) failures.push(`round ${round}: /health/ready ${ready.status}`);
        }
        await apps[0]?.get<Connection>(getConnectionToken()).dropDatabase();
      } finally {
        await Promise.all(apps.map((app) => app.close()));
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
