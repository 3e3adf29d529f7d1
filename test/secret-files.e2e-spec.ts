import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { testEngine } from './support/engine';
import { startTestApp, TestApp } from './support/test-app';

/** The compose stack gives the gateway its secrets only as <NAME>_FILE (Docker secrets), never as plain variables. */
describe('Secrets from files', () => {
  let dir: string;
  let t: TestApp;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-e2e-'));
    const file = (name: string, value: string) => {
      writeFileSync(join(dir, name), `${value}\n`);
      return join(dir, name);
    };
    t = await startTestApp({
      MONGODB_URI: undefined,
      MONGODB_URI_FILE: file('mongodb_uri', testEngine().uri),
      COSS_APP_SECRET_FILE: file('coss_app_secret', 'a-coss-secret-from-a-file'),
      ANHUI_PASSWORD_FILE: file('anhui_password', 'an-anhui-password-from-a-file'),
    });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts with every secret from a file and reaches the database named in MONGODB_URI_FILE', async () => {
    const res = await request(t.http).get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body.info.mongodb.status).toBe('up');
  });
});
