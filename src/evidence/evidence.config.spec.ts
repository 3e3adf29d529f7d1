import { ConfigValidationError } from '../config/environment';
import { crlConfig } from './crl/crl.config';
import { validateEvidenceEnvironment } from './evidence.config';
import { tsaConfig } from './timestamp/tsa.config';

describe('evidence configuration (TSA_*, CRL_*)', () => {
  const production = { NODE_ENV: 'production' };

  it('refuses production without TSA_URL unless TSA_DISABLED=true', () => {
    expect(() => validateEvidenceEnvironment(production)).toThrow(/TSA_URL is required in production/);
    expect(() => validateEvidenceEnvironment({ ...production, TSA_DISABLED: 'true' })).not.toThrow();
    expect(() =>
      validateEvidenceEnvironment({
        ...production,
        TSA_URL: 'https://tsa.example.org/tsa',
        TSA_TRUSTED_ROOTS: '/etc/tsa/root.pem',
      }),
    ).not.toThrow();
    expect(() => validateEvidenceEnvironment({})).not.toThrow();
  });

  it('wants TSA_TRUSTED_ROOTS with a TSA_URL', () => {
    expect(() => validateEvidenceEnvironment({ TSA_URL: 'http://127.0.0.1:8703/tsa' })).toThrow(
      /TSA_TRUSTED_ROOTS is required with TSA_URL/,
    );
  });

  it.each([
    ['TSA_HASH', 'md5'],
    ['TSA_URL', 'ftp://tsa'],
    ['TSA_POLICY', 'policy-1'],
    ['TSA_TIMEOUT_MS', '10'],
    ['TSA_MAX_SKEW_SECONDS', '0'],
    ['TSA_DISABLED', 'yes'],
    ['TSA_WORKER_THREADS', '-1'],
    ['CRL_URLS', 'ldap://ca/crl'],
    ['CRL_REFRESH_MINUTES', '0'],
    ['CRL_FETCH_TIMEOUT_MS', '10'],
    ['CRL_STALE_POLICY', 'ignore'],
  ])('names a bad %s', (name, value) => {
    expect(() => validateEvidenceEnvironment({ [name]: value })).toThrow(ConfigValidationError);
    expect(() => validateEvidenceEnvironment({ [name]: value })).toThrow(new RegExp(`${name}="${value}"`));
  });

  it('gives typed namespaces with defaults', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        TSA_HASH: 'sha256',
        TSA_POLICY: '1.2.3.4',
        TSA_DISABLED: 'false',
        CRL_FILES: '/a.crl,/b.crl',
        CRL_URLS: 'http://ca.example/a.crl, https://ca.example/b.crl',
        CRL_STALE_POLICY: 'refuse',
      });
      expect(tsaConfig()).toEqual({
        disabled: false,
        url: undefined,
        hash: 'sha256',
        trustedRootPaths: [],
        policy: '1.2.3.4',
        timeoutMs: 10_000,
        maxSkewSeconds: 120,
        sweepIntervalMs: 30_000,
        workerThreads: 1,
      });
      expect(crlConfig()).toEqual({
        files: ['/a.crl', '/b.crl'],
        urls: ['http://ca.example/a.crl', 'https://ca.example/b.crl'],
        refreshMinutes: 60,
        fetchTimeoutMs: 10_000,
        stalePolicy: 'refuse',
      });
    } finally {
      process.env = saved;
    }
  });
});
