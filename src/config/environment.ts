import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import type { Type } from '@nestjs/common';
import {
  getMetadataStorage,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import { LOCALES } from '../common/errors/messages';
import { httpProductionProblems, httpProblems } from './http-rules';
import { readSecretFiles, shownValue } from './secret-files';
import { VendorTrustVariables, vendorTrustProblems, warnVendorTrialSwitches } from './vendor-trust-rules';

/** A CA vendor's name, as in CA_PROVIDERS; each vendor folder under src/ca/vendors/ declares its own. */
export type ProviderName = string;

export const VENDOR_NAME = /^[a-z][a-z0-9-]{0,31}$/;

const TRUST_PROXY_ENTRY = '(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(/[0-9]{1,3})?)';
const TRUST_PROXY_LIST = new RegExp(`^${TRUST_PROXY_ENTRY}(\\s*,\\s*${TRUST_PROXY_ENTRY})*$`);

export const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

/** What a CA vendor adds to the environment: its own variables, and what production requires of it when enabled. */
export interface VendorEnvironment extends VendorTrustVariables {
  name: ProviderName;
  environment?: Type<object>;
  productionProblems?(env: Record<string, unknown>): string[];
}

/** Every environment variable the gateway reads, validated once at start-up. */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'test', 'production'])
  NODE_ENV?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  BODY_LIMIT_BYTES?: number;

  /** /metrics without a key on 127.0.0.1 only, for a local Prometheus agent; unset: no second listener. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT?: number;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional()
  @IsString()
  API_KEYS?: string;

  @IsOptional()
  @Matches(/^(\*|https?:\/\/[^\s,/]+(,\s*https?:\/\/[^\s,/]+)*)$/, {
    message: 'CORS_ORIGINS must be * or a comma-separated list of exact origins such as https://nurse-pc.example',
  })
  CORS_ORIGINS?: string;

  @IsOptional()
  @Matches(TRUST_PROXY_LIST, {
    message: 'TRUST_PROXY must list addresses or CIDRs (or loopback, linklocal, uniquelocal), comma separated',
  })
  TRUST_PROXY?: string;

  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(1000)
  JSON_MAX_DEPTH?: number;

  @IsOptional()
  @IsIn(['true', 'false'])
  DOCS_ENABLED?: string;

  @IsOptional()
  @IsString()
  TLS_CERT_FILE?: string;

  @IsOptional()
  @IsString()
  TLS_KEY_FILE?: string;

  @IsOptional()
  @IsIn(LOCALES)
  DEFAULT_LOCALE?: string;

  @IsOptional()
  @Matches(/^mongodb(\+srv)?:\/\/.+/, { message: 'MONGODB_URI must be a mongodb:// or mongodb+srv:// URI' })
  MONGODB_URI?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,38}$/, { message: 'MONGODB_DB must be a plain database name' })
  MONGODB_DB?: string;

  @IsOptional()
  @IsInt()
  @Min(500)
  @Max(120000)
  MONGODB_TIMEOUT_MS?: number;

  @IsOptional()
  @Matches(VENDOR_NAME, { message: 'CA_DEFAULT_PROVIDER must be a vendor name' })
  CA_DEFAULT_PROVIDER?: string;

  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,31}(,[a-z][a-z0-9-]{0,31})*$/, {
    message: 'CA_PROVIDERS must list vendor names, comma separated',
  })
  CA_PROVIDERS?: string;

  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(3600)
  CA_LOGIN_EXPIRY_SECONDS?: number;

  @IsOptional()
  @IsInt()
  @Min(50)
  @Max(10000)
  CA_POLL_INTERVAL_MS?: number;

  @IsOptional()
  @IsInt()
  @Min(5000)
  @Max(3_600_000)
  CA_SIGN_LEASE_MS?: number;

  @IsOptional()
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  CA_RECOVERY_INTERVAL_MS?: number;

  @IsOptional()
  @IsIn(['seconds', 'minutes', 'hours', 'days'])
  CA_TIME_REGION_UNIT?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  CA_DEFAULT_TIME_REGION?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(8760)
  CA_MAX_AUTHORIZATION_HOURS?: number;

  @IsOptional()
  @Matches(/^[\x20-\x7e]{1,64}$/, { message: 'CA_SM2_USER_ID must be 1-64 printable ASCII characters' })
  CA_SM2_USER_ID?: string;

  @IsOptional()
  @IsIn(['first-use', 'preenrolled'])
  CA_ENROLLMENT?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  LOGIN_RATE_LIMIT_PER_MINUTE?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  LOGIN_MAX_PENDING_PER_ADDRESS?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 366)
  LOGIN_RETENTION_HOURS?: number;

  @IsOptional()
  @IsIn(['true', 'false'])
  ALLOW_INSECURE_VENDOR_HTTP?: string;

  @IsOptional()
  @IsIn(['true', 'false'])
  ALLOW_SIMULATOR_CA_ROOTS?: string;
}

export class ConfigValidationError extends Error {}

/** Converts and checks `raw` against one class of variables; the problems name each bad variable. */
export function checkVariables<T extends object>(
  variables: Type<T>,
  raw: Record<string, unknown>,
): { env: T; problems: string[] } {
  const secrets = readSecretFiles(raw, declaredBy(variables));
  const known = Object.fromEntries(Object.entries(secrets.env).filter(([, value]) => value !== ''));
  const env = plainToInstance(variables, known, { enableImplicitConversion: true });
  const problems = validateSync(env, { skipMissingProperties: false }).map((e) => {
    const why = Object.values(e.constraints ?? {}).join('; ');
    return `${e.property}=${shownValue(e.property, known[e.property])}: ${why}`;
  });
  return { env, problems: [...secrets.problems, ...problems] };
}

function declaredBy(variables: Type<object>): string[] {
  return getMetadataStorage()
    .getTargetValidationMetadatas(variables, '', true, false)
    .map((metadata) => metadata.propertyName);
}

/** The typed variables of `variables`, or an error naming every bad one. */
export function parseVariables<T extends object>(variables: Type<T>, raw: Record<string, unknown>): T {
  const { env, problems } = checkVariables(variables, raw);
  if (problems.length > 0) throw invalid(problems);
  return env;
}

/**
 * Used as @nestjs/config's `validate`: the gateway's own variables and those of every registered vendor; returns the
 * typed env or throws naming every bad variable.
 */
export function validateEnvironment(
  raw: Record<string, unknown>,
  vendors: readonly VendorEnvironment[] = [],
): EnvironmentVariables {
  return validated(raw, vendors).env;
}

function validated(
  raw: Record<string, unknown>,
  vendors: readonly VendorEnvironment[],
): { env: EnvironmentVariables; vendorEnv: Record<string, unknown> } {
  const { env, problems } = checkVariables(EnvironmentVariables, raw);
  if (problems.length === 0) problems.push(...httpProblems(env));
  const vendorEnv: Record<string, unknown> = {};
  for (const vendor of vendors) {
    if (!vendor.environment) continue;
    const checked = checkVariables(vendor.environment, raw);
    problems.push(...checked.problems);
    Object.assign(vendorEnv, checked.env);
  }
  if (vendors.length > 0) problems.push(...vendorNameProblems(env, vendors));
  if (problems.length === 0) problems.push(...leaseProblems(env, vendorEnv));
  if (env.NODE_ENV === 'production') {
    const enabled = enabledVendors(env, vendors);
    problems.push(...productionProblems(env), ...httpProductionProblems(env));
    for (const vendor of enabled) problems.push(...(vendor.productionProblems?.(vendorEnv) ?? []));
    problems.push(...vendorTrustProblems(env, enabled, vendorEnv));
  }
  if (problems.length > 0) throw invalid(problems);
  return { env, vendorEnv };
}

/**
 * @nestjs/config's `validate`: checks the environment (warning at every start about a trial switch in use) and hands
 * nothing back, because ConfigModule copies what it returns into process.env, which would put the secrets read from
 * <NAME>_FILE there beside their _FILE.
 */
export function checkEnvironment(
  raw: Record<string, unknown>,
  vendors: readonly VendorEnvironment[] = [],
): Record<string, never> {
  const { env, vendorEnv } = validated(raw, vendors);
  if (env.NODE_ENV === 'production') warnVendorTrialSwitches(env, enabledVendors(env, vendors), vendorEnv);
  return {};
}

function enabledVendors(env: EnvironmentVariables, vendors: readonly VendorEnvironment[]): VendorEnvironment[] {
  const enabled = enabledProviders(env, vendors);
  return vendors.filter((vendor) => enabled.includes(vendor.name));
}

/** CA_PROVIDERS as listed, or every registered vendor when it is unset. */
export function enabledProviders(env: EnvironmentVariables, vendors: readonly VendorEnvironment[]): ProviderName[] {
  return env.CA_PROVIDERS?.split(',') ?? vendors.map((vendor) => vendor.name);
}

function vendorNameProblems(env: EnvironmentVariables, vendors: readonly VendorEnvironment[]): string[] {
  const names = vendors.map((vendor) => vendor.name);
  const unknown = (name: string | undefined) => name !== undefined && !names.includes(name);
  const problems = (env.CA_PROVIDERS?.split(',') ?? [])
    .filter(unknown)
    .map((name) => `CA_PROVIDERS=${JSON.stringify(env.CA_PROVIDERS)}: ${name} is not one of ${names.join(', ')}`);
  if (unknown(env.CA_DEFAULT_PROVIDER)) {
    problems.push(`CA_DEFAULT_PROVIDER=${JSON.stringify(env.CA_DEFAULT_PROVIDER)}: must be one of ${names.join(', ')}`);
  }
  const providers = enabledProviders(env, vendors);
  const defaultProvider = env.CA_DEFAULT_PROVIDER ?? providers[0];
  if (env.NODE_ENV === 'production' && !providers.includes(defaultProvider)) {
    problems.push(`CA_DEFAULT_PROVIDER=${defaultProvider} is not in CA_PROVIDERS`);
  }
  return problems;
}

/** The vendors' timeout when their `<NAME>_TIMEOUT_MS` is unset. */
const DEFAULT_VENDOR_TIMEOUT_MS = 5000;

/** An attempt still waiting for its vendor must not be declared interrupted by recovery. */
function leaseProblems(env: EnvironmentVariables, vendorEnv: Record<string, unknown>): string[] {
  const lease = env.CA_SIGN_LEASE_MS ?? 120_000;
  const timeouts = Object.entries(vendorEnv)
    .filter(([name, value]) => name.endsWith('_TIMEOUT_MS') && typeof value === 'number')
    .map(([, value]) => value as number);
  const vendorTimeout = Math.max(DEFAULT_VENDOR_TIMEOUT_MS, ...timeouts);
  return lease > vendorTimeout
    ? []
    : [`CA_SIGN_LEASE_MS=${lease} must be longer than the vendor timeout (${vendorTimeout} ms)`];
}

function productionProblems(env: EnvironmentVariables): string[] {
  return env.MONGODB_URI
    ? []
    : ['MONGODB_URI is required in production (the embedded database is for development only)'];
}

function invalid(problems: string[]): ConfigValidationError {
  return new ConfigValidationError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
}

/** For a vendor's production rules: the problem when its trusted-roots variable `name` is unset. */
export function trustedRootsRequired(env: Record<string, unknown>, name: string): string[] {
  return requiredInProduction(
    env,
    name,
    'without trusted roots any certificate that verifies its own signature would be accepted',
  );
}

/** For a vendor's production rules: the problem when `name` is unset. */
export function requiredInProduction(env: Record<string, unknown>, name: string, why: string): string[] {
  return env[name] ? [] : [`${name} is required in production (${why})`];
}
