import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../../src/app.module';
import { ANHUI_SANDBOX_ACCOUNT } from '../../src/ca/vendors/anhui/anhui.config';
import { createApp } from '../../src/common/http/create-app';
import { TestCertificateAuthority } from '../../src/crypto/test-ca';
import { testEngine } from '../support/engine';

/** A production setting that passes every refusal of this spec; each test breaks one part of it. */
const PRODUCTION = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  // The TSA's own production rule (another feature) is not what this spec is about.
  TSA_DISABLED: 'true',
  CA_PROVIDERS: 'coss,anhui',
  COSS_BASE_URL: 'https://coss.hospital.example',
  COSS_APP_SECRET: 'hospital-app-secret',
  COSS_TRUSTED_ROOTS: '/run/ca-roots/coss-root.pem',
  ANHUI_SCAN_BASE_URL: 'https://scan.hospital.example',
  ANHUI_ACCOUNT_NAME: 'hospital-account',
  ANHUI_PASSWORD: 'hospital-password',
  ANHUI_TRUSTED_ROOTS: '/run/ca-roots/anhui-root.pem',
};

/** Starts the app factory (as main.ts does) with `env`; answers the start-up error message. */
async function refusal(env: Record<string, string | undefined>): Promise<string> {
  const saved = { ...process.env };
  Object.assign(process.env, { MONGODB_URI: testEngine().uri, MONGODB_DB: 'refusals' });
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    const app = await createApp(() => AppModule.register());
    await app.close();
    return 'started';
  } catch (error) {
    return (error as Error).message;
  } finally {
    process.env = saved;
  }
}

describe('row 8: production refuses sandbox trust, naming the variable', () => {
  it.each([
    ['COSS_TRUSTED_ROOTS', { COSS_TRUSTED_ROOTS: undefined }, /COSS_TRUSTED_ROOTS is required in production/],
    ['ANHUI_TRUSTED_ROOTS', { ANHUI_TRUSTED_ROOTS: undefined }, /ANHUI_TRUSTED_ROOTS is required in production/],
    ['COSS_APP_SECRET', { COSS_APP_SECRET: undefined }, /COSS_APP_SECRET is required in production/],
    [
      'the sandbox account',
      { ANHUI_ACCOUNT_NAME: ANHUI_SANDBOX_ACCOUNT.accountName },
      /ANHUI_ACCOUNT_NAME is the simulators’ sandbox account/,
    ],
    [
      'the sandbox password',
      { ANHUI_PASSWORD: ANHUI_SANDBOX_ACCOUNT.password },
      /ANHUI_PASSWORD is the simulators’ sandbox password/,
    ],
    [
      'a plain-http COSS URL',
      { COSS_BASE_URL: 'http://127.0.0.1:8701' },
      /COSS_BASE_URL=http:\/\/127\.0\.0\.1:8701: plain http/,
    ],
    ['a plain-http scan URL', { ANHUI_SCAN_BASE_URL: 'http://scan' }, /ANHUI_SCAN_BASE_URL=http:\/\/scan: plain http/],
  ])('refuses to start with %s', async (_what, change, message) => {
    expect(await refusal({ ...PRODUCTION, ...change })).toMatch(message);
  });

  it('a disabled vendor’s rules do not apply; the issue’s whole sandbox setting is refused on every count', async () => {
    const sandbox = await refusal({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      TSA_DISABLED: 'true',
      COSS_BASE_URL: 'http://127.0.0.1:8701',
      ANHUI_SCAN_BASE_URL: 'http://127.0.0.1:8702',
      ANHUI_ACCOUNT_NAME: ANHUI_SANDBOX_ACCOUNT.accountName,
      ANHUI_PASSWORD: ANHUI_SANDBOX_ACCOUNT.password,
    });
    for (const variable of [
      'COSS_TRUSTED_ROOTS',
      'ANHUI_TRUSTED_ROOTS',
      'COSS_APP_SECRET',
      'ANHUI_ACCOUNT_NAME',
      'ANHUI_PASSWORD',
      'COSS_BASE_URL',
      'ANHUI_SCAN_BASE_URL',
    ]) {
      expect(sandbox).toContain(variable);
    }
    const cossOnly = await refusal({ ...PRODUCTION, CA_PROVIDERS: 'coss', ANHUI_TRUSTED_ROOTS: undefined });
    expect(cossOnly).not.toMatch(/ANHUI_/);
  });

  it('ALLOW_INSECURE_VENDOR_HTTP=true lets plain http through, with a warning at every start', async () => {
    const warnings: string[] = [];
    const { Logger } = await import('@nestjs/common');
    const spy = jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
      warnings.push(String(message));
    });
    // Roots files that exist, so that the gateway starts completely (and is closed again).
    const ca = await TestCertificateAuthority.create({ commonName: 'Refusals Spec CA' });
    const roots = join(mkdtempSync(join(tmpdir(), 'refusals-')), 'root.der');
    writeFileSync(roots, ca.root.cert.der);
    try {
      const answer = await refusal({
        ...PRODUCTION,
        COSS_BASE_URL: 'http://127.0.0.1:8701',
        COSS_TRUSTED_ROOTS: roots,
        ANHUI_TRUSTED_ROOTS: roots,
        ALLOW_INSECURE_VENDOR_HTTP: 'true',
      });
      expect(answer).toBe('started');
      expect(warnings.some((w) => /ALLOW_INSECURE_VENDOR_HTTP=true.*COSS_BASE_URL/.test(w))).toBe(true);
    } finally {
      spy.mockRestore();
    }
    expect(await refusal({ ...PRODUCTION, ALLOW_INSECURE_VENDOR_HTTP: 'yes' })).toMatch(/ALLOW_INSECURE_VENDOR_HTTP/);
  });
});
