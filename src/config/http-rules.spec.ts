import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateEnvironment } from './environment';

const KEYS = JSON.stringify([{ id: 'docs', key: 'read-secret-00000000001', scopes: ['read'] }]);

describe('HTTP boundary configuration', () => {
  let dir: string;
  let cert: string;
  let key: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mnis-rules-'));
    cert = join(dir, 'cert.pem');
    key = join(dir, 'key.pem');
    writeFileSync(cert, 'cert');
    writeFileSync(key, 'key');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const production = {
    NODE_ENV: 'production',
    MONGODB_URI: 'mongodb://db:27017',
    CA_PROVIDERS: 'coss',
    COSS_BASE_URL: 'https://coss.example',
    API_KEYS: KEYS,
    TRUST_PROXY: '10.0.0.5',
  };
  const problemsOf = (env: Record<string, string | undefined>) => {
    try {
      validateEnvironment(env);
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('starts in production behind a listed proxy, or serving TLS itself', () => {
    expect(problemsOf(production)).not.toMatch(/API_KEYS|CORS_ORIGINS|TLS_|TRUST_PROXY/);
    expect(problemsOf({ ...production, TRUST_PROXY: undefined, TLS_CERT_FILE: cert, TLS_KEY_FILE: key })).not.toMatch(
      /TLS_|TRUST_PROXY/,
    );
  });

  it('refuses plain HTTP in production, naming TLS_CERT_FILE, TLS_KEY_FILE and TRUST_PROXY', () => {
    expect(problemsOf({ ...production, TRUST_PROXY: undefined })).toMatch(
      /TLS_CERT_FILE and TLS_KEY_FILE are required in production \(or TRUST_PROXY/,
    );
  });

  it('refuses CORS_ORIGINS=* in production only', () => {
    expect(problemsOf({ ...production, CORS_ORIGINS: '*' })).toMatch(/CORS_ORIGINS=\* is refused in production/);
    expect(problemsOf({ CORS_ORIGINS: '*' })).toBe('');
  });

  it('refuses production without API_KEYS or API_KEYS_FILE', () => {
    expect(problemsOf({ ...production, API_KEYS: undefined })).toMatch(/API_KEYS or API_KEYS_FILE is required/);
  });

  it('refuses, in any environment, half a TLS pair, an unreadable file and a bad key list, naming each', () => {
    expect(problemsOf({ TLS_CERT_FILE: cert })).toMatch(/TLS_CERT_FILE and TLS_KEY_FILE must be given together/);
    expect(problemsOf({ TLS_CERT_FILE: cert, TLS_KEY_FILE: join(dir, 'nope.pem') })).toMatch(
      /TLS_KEY_FILE=.*nope.pem cannot be read/,
    );
    expect(problemsOf({ API_KEYS: '[{"id":"x"}]' })).toMatch(/API_KEYS key "x"/);
  });

  it('validates the shapes of CORS_ORIGINS, TRUST_PROXY, JSON_MAX_DEPTH, DOCS_ENABLED and DEFAULT_LOCALE', () => {
    expect(
      problemsOf({
        CORS_ORIGINS: 'https://a.example, http://127.0.0.1:5173',
        TRUST_PROXY: '10.0.0.0/8, ::1, loopback',
      }),
    ).toBe('');
    expect(problemsOf({ CORS_ORIGINS: 'https://a.example/path' })).toMatch(/CORS_ORIGINS=/);
    expect(problemsOf({ TRUST_PROXY: 'true' })).toMatch(/TRUST_PROXY="true"/);
    expect(problemsOf({ JSON_MAX_DEPTH: '1' })).toMatch(/JSON_MAX_DEPTH/);
    expect(problemsOf({ DOCS_ENABLED: 'yes' })).toMatch(/DOCS_ENABLED/);
    expect(problemsOf({ DEFAULT_LOCALE: 'fr' })).toMatch(/DEFAULT_LOCALE/);
  });
});
