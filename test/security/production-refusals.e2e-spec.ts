import { Logger } from '@nestjs/common';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../../src/app.module';
import { ANHUI_SANDBOX_ACCOUNT } from '../../src/ca/vendors/anhui/anhui.config';
import { createApp } from '../../src/common/http/create-app';
import { HTTP_PRODUCTION } from '../../src/config/http-rules.testing';
import { TestCertificateAuthority } from '../../src/crypto/test-ca';
import { CossSimulator } from '../../src/simulators/coss/coss-simulator';
import { AUDIT_ENV } from '../support/audit-chain';
import { testEngine } from '../support/engine';

/** A production setting that passes every refusal of this spec; each test breaks one part of it. */
const PRODUCTION = {
  ...HTTP_PRODUCTION,
  ...AUDIT_ENV,
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

/** Starts (and closes) a production gateway with `change`; answers the warnings it logged. */
async function startWarnings(change: Record<string, string>): Promise<string[]> {
  const warnings: string[] = [];
  const spy = jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
    warnings.push(String(message));
  });
  try {
    expect(await refusal({ ...PRODUCTION, ...change })).toBe('started');
  } finally {
    spy.mockRestore();
  }
  return warnings;
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
      ...HTTP_PRODUCTION,
      ...AUDIT_ENV,
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
    // A roots file that exists, so that the gateway starts completely and is closed again: a start that fails half-way
    // leaves the database connection it opened to the process, which main.ts ends but a spec cannot.
    const ca = await TestCertificateAuthority.create({ commonName: 'Refusals Spec CA' });
    const roots = join(mkdtempSync(join(tmpdir(), 'refusals-')), 'root.der');
    writeFileSync(roots, ca.root.cert.der);
    const cossOnly = await refusal({
      ...PRODUCTION,
      CA_PROVIDERS: 'coss',
      COSS_TRUSTED_ROOTS: roots,
      ANHUI_TRUSTED_ROOTS: undefined,
    });
    expect(cossOnly).toBe('started');
  });

  it('refuses the simulators’ test CA among the trusted roots, unless ALLOW_SIMULATOR_CA_ROOTS=true (warned)', async () => {
    const sim = await CossSimulator.start({ port: 0 });
    const roots = join(mkdtempSync(join(tmpdir(), 'refusals-')), 'coss-sim-root.der');
    writeFileSync(roots, sim.rootCertificateDer);
    await sim.stop();
    const answer = await refusal({ ...PRODUCTION, COSS_TRUSTED_ROOTS: `/run/ca-roots/other.pem,${roots}` });
    expect(answer).toContain(`COSS_TRUSTED_ROOTS=${roots}: the simulators’ test CA is refused in production`);
    expect(answer).toContain('ALLOW_SIMULATOR_CA_ROOTS=true');
    const warnings = await startWarnings({
      COSS_TRUSTED_ROOTS: roots,
      ANHUI_TRUSTED_ROOTS: roots,
      ALLOW_SIMULATOR_CA_ROOTS: 'true',
    });
    expect(warnings.some((w) => /ALLOW_SIMULATOR_CA_ROOTS=true: COSS_TRUSTED_ROOTS trusts/.test(w))).toBe(true);
  });

  it('ALLOW_INSECURE_VENDOR_HTTP=true lets plain http through, with a warning at every start', async () => {
    // Roots files that exist, so that the gateway starts completely (and is closed again).
    const ca = await TestCertificateAuthority.create({ commonName: 'Refusals Spec CA' });
    const roots = join(mkdtempSync(join(tmpdir(), 'refusals-')), 'root.der');
    writeFileSync(roots, ca.root.cert.der);
    const warnings = await startWarnings({
      COSS_BASE_URL: 'http://127.0.0.1:8701',
      COSS_TRUSTED_ROOTS: roots,
      ANHUI_TRUSTED_ROOTS: roots,
      ALLOW_INSECURE_VENDOR_HTTP: 'true',
    });
    expect(warnings.some((w) => /ALLOW_INSECURE_VENDOR_HTTP=true.*COSS_BASE_URL/.test(w))).toBe(true);
    expect(await refusal({ ...PRODUCTION, ALLOW_INSECURE_VENDOR_HTTP: 'yes' })).toMatch(/ALLOW_INSECURE_VENDOR_HTTP/);
  });
});
