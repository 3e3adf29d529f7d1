import { validateEnvironment } from '../../config';
import { HTTP_PRODUCTION } from '../../config/http-rules.testing';
import { CA_VENDORS } from '.';

/** The shipped vendors' own variables and production rules, checked through the one start-up validation. */
describe('validateEnvironment with the shipped vendors', () => {
  const validate = (env: Record<string, string>) => validateEnvironment(env, CA_VENDORS);

  it('refuses production without MONGODB_URI or vendor base URLs', () => {
    const run = () => validate({ NODE_ENV: 'production' });
    expect(run).toThrow(/MONGODB_URI is required in production/);
    expect(run).toThrow(/COSS_BASE_URL is required in production/);
    expect(run).toThrow(/ANHUI_SCAN_BASE_URL is required in production/);
    expect(run).toThrow(/ANHUI_PASSWORD is required in production/);
  });

  it('accepts production with every setting, and only the enabled vendors are required', () => {
    expect(() =>
      validate({
        ...HTTP_PRODUCTION,
        NODE_ENV: 'production',
        MONGODB_URI: 'mongodb://db:27017/?replicaSet=rs0',
        CA_PROVIDERS: 'coss',
        COSS_BASE_URL: 'https://coss.example.org',
        COSS_APP_SECRET: 'hospital-app-secret',
        COSS_TRUSTED_ROOTS: '/run/ca-roots/coss-root.pem',
      }),
    ).not.toThrow();
  });

  it('refuses a default provider that is not enabled', () => {
    expect(() =>
      validate({
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
      ...HTTP_PRODUCTION,
      NODE_ENV: 'production',
      MONGODB_URI: 'mongodb://db',
      CA_PROVIDERS: 'anhui',
      ANHUI_SCAN_BASE_URL: 'https://scan',
      ANHUI_ACCOUNT_NAME: 'a',
      ANHUI_PASSWORD: 'p',
      ANHUI_TRUSTED_ROOTS: '/run/ca-roots/anhui-root.pem',
    };
    expect(() => validate({ ...production, ANHUI_POLL_INTERVAL_MS: '1000' })).toThrow(
      /ANHUI_POLL_INTERVAL_MS must be 3000-5000/,
    );
    expect(() => validate({ ...production, ANHUI_POLL_INTERVAL_MS: '4000' })).not.toThrow();
    expect(() => validate({ ANHUI_POLL_INTERVAL_MS: '9000' })).toThrow(/ANHUI_POLL_INTERVAL_MS/);
  });

  it('names a malformed ANHUI_CITY and a vendor name that is not registered', () => {
    expect(() => validate({ ANHUI_CITY: 'hefei' })).toThrow(/ANHUI_CITY/);
    expect(() => validate({ CA_PROVIDERS: 'coss,nope' })).toThrow(/CA_PROVIDERS="coss,nope"/);
  });
});
