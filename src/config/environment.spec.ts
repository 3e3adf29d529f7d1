import { IsInt, IsOptional, IsUrl } from 'class-validator';
import { ConfigValidationError, requiredInProduction, URL_OPTIONS, validateEnvironment } from './environment';
import { HTTP_PRODUCTION } from './http-rules.testing';

class ExampleEnvironment {
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  EXAMPLE_BASE_URL?: string;
}

class SlowEnvironment {
  @IsOptional()
  @IsInt()
  SLOW_TIMEOUT_MS?: number;
}

const example = {
  name: 'example',
  environment: ExampleEnvironment,
  productionProblems: (env: Record<string, unknown>) => requiredInProduction(env, 'EXAMPLE_BASE_URL', 'no simulator'),
};

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

  it('refuses production without MONGODB_URI', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(/MONGODB_URI is required in production/);
  });

  it("checks a registered vendor's variables, and its production rules only when it is enabled", () => {
    expect(() => validateEnvironment({ EXAMPLE_BASE_URL: 'ftp://x' }, [example])).toThrow(
      /EXAMPLE_BASE_URL="ftp:\/\/x"/,
    );
    const production = { ...HTTP_PRODUCTION, NODE_ENV: 'production', MONGODB_URI: 'mongodb://db' };
    expect(() => validateEnvironment(production, [example])).toThrow(/EXAMPLE_BASE_URL is required in production/);
    expect(() => validateEnvironment({ ...production, EXAMPLE_BASE_URL: 'https://e' }, [example])).not.toThrow();
    expect(() =>
      validateEnvironment({ ...production, CA_PROVIDERS: 'other' }, [example, { name: 'other' }]),
    ).not.toThrow();
  });

  it('names a CA_PROVIDERS or CA_DEFAULT_PROVIDER entry that is no registered vendor', () => {
    expect(() => validateEnvironment({ CA_PROVIDERS: 'example,nope' }, [example])).toThrow(
      /CA_PROVIDERS="example,nope": nope is not one of example/,
    );
    expect(() => validateEnvironment({ CA_DEFAULT_PROVIDER: 'nope' }, [example])).toThrow(/CA_DEFAULT_PROVIDER/);
    expect(() => validateEnvironment({ CA_PROVIDERS: 'Bad Name' })).toThrow(/CA_PROVIDERS/);
  });

  it('names a malformed MONGODB_URI', () => {
    expect(() => validateEnvironment({ MONGODB_URI: 'postgres://x' })).toThrow(/MONGODB_URI/);
  });

  it('bounds the database timeout, the signing lease and the recovery interval', () => {
    expect(validateEnvironment({ MONGODB_TIMEOUT_MS: '2000' }).MONGODB_TIMEOUT_MS).toBe(2000);
    expect(() => validateEnvironment({ MONGODB_TIMEOUT_MS: '100' })).toThrow(/MONGODB_TIMEOUT_MS="100"/);
    expect(() => validateEnvironment({ CA_RECOVERY_INTERVAL_MS: '500' })).toThrow(/CA_RECOVERY_INTERVAL_MS="500"/);
    expect(validateEnvironment({ CA_SIGN_LEASE_MS: '10000' }).CA_SIGN_LEASE_MS).toBe(10000);
  });

  it("refuses a signing lease no longer than a vendor's call may take", () => {
    const slow = { name: 'slow', environment: SlowEnvironment };
    expect(() => validateEnvironment({ CA_SIGN_LEASE_MS: '6000', SLOW_TIMEOUT_MS: '8000' }, [slow])).toThrow(
      /CA_SIGN_LEASE_MS=6000 must be longer than the vendor timeout \(8000 ms\)/,
    );
    expect(validateEnvironment({ CA_SIGN_LEASE_MS: '9000', SLOW_TIMEOUT_MS: '8000' }, [slow]).CA_SIGN_LEASE_MS).toBe(
      9000,
    );
    expect(() => validateEnvironment({ CA_SIGN_LEASE_MS: '5000' })).toThrow(/CA_SIGN_LEASE_MS=5000/);
  });
});
