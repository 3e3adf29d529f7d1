import { ConfigValidationError, validateEnvironment } from './environment';

describe('validateEnvironment', () => {
  it('accepts an empty environment and converts numbers', () => {
    expect(validateEnvironment({})).toEqual(expect.any(Object));
    expect(validateEnvironment({ PORT: '8080' }).PORT).toBe(8080);
  });

  it('names a bad PORT', () => {
    expect(() => validateEnvironment({ PORT: 'eighty' })).toThrow(ConfigValidationError);
    expect(() => validateEnvironment({ PORT: '70000' })).toThrow(/PORT="70000"/);
  });

  it('treats an empty variable as unset', () => {
    expect(validateEnvironment({ PORT: '' }).PORT).toBeUndefined();
  });

  it('refuses production without MONGODB_URI or vendor base URLs', () => {
    const run = () => validateEnvironment({ NODE_ENV: 'production' });
    expect(run).toThrow(/MONGODB_URI is required in production/);
    expect(run).toThrow(/COSS_BASE_URL is required in production/);
    expect(run).toThrow(/ANHUI_SCAN_BASE_URL is required in production/);
    expect(run).toThrow(/ANHUI_PASSWORD is required in production/);
  });

  it('accepts production with every setting, and only the enabled vendors are required', () => {
    expect(() =>
      validateEnvironment({
        NODE_ENV: 'production',
        MONGODB_URI: 'mongodb://db:27017/?replicaSet=rs0',
        CA_PROVIDERS: 'coss',
        COSS_BASE_URL: 'https://coss.example.org',
      }),
    ).not.toThrow();
  });

  it('refuses a default provider that is not enabled', () => {
    expect(() =>
      validateEnvironment({
        CA_PROVIDERS: 'coss',
        CA_DEFAULT_PROVIDER: 'anhui',
        NODE_ENV: 'production',
        MONGODB_URI: 'mongodb://x',
        COSS_BASE_URL: 'http://c',
      }),
    ).toThrow(/CA_DEFAULT_PROVIDER/);
  });

  it('keeps the scan-service poll interval within the spec (3-5 s) in production', () => {
    const production = {
      NODE_ENV: 'production',
      MONGODB_URI: 'mongodb://db',
      CA_PROVIDERS: 'anhui',
      ANHUI_SCAN_BASE_URL: 'https://scan',
      ANHUI_ACCOUNT_NAME: 'a',
      ANHUI_PASSWORD: 'p',
    };
    expect(() => validateEnvironment({ ...production, ANHUI_POLL_INTERVAL_MS: '1000' })).toThrow(
      /ANHUI_POLL_INTERVAL_MS must be 3000-5000/,
    );
    expect(() => validateEnvironment({ ...production, ANHUI_POLL_INTERVAL_MS: '4000' })).not.toThrow();
    expect(() => validateEnvironment({ ANHUI_POLL_INTERVAL_MS: '9000' })).toThrow(/ANHUI_POLL_INTERVAL_MS/);
  });

  it('names a malformed MONGODB_URI and ANHUI_CITY', () => {
    expect(() => validateEnvironment({ MONGODB_URI: 'postgres://x' })).toThrow(/MONGODB_URI/);
    expect(() => validateEnvironment({ ANHUI_CITY: 'hefei' })).toThrow(/ANHUI_CITY/);
  });
});
