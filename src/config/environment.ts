import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

export const PROVIDER_NAMES = ['coss', 'anhui'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

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

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional()
  @Matches(/^mongodb(\+srv)?:\/\/.+/, { message: 'MONGODB_URI must be a mongodb:// or mongodb+srv:// URI' })
  MONGODB_URI?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,38}$/, { message: 'MONGODB_DB must be a plain database name' })
  MONGODB_DB?: string;

  @IsOptional()
  @IsIn(PROVIDER_NAMES)
  CA_DEFAULT_PROVIDER?: string;

  @IsOptional()
  @Matches(/^(coss|anhui)(,(coss|anhui))*$/, { message: 'CA_PROVIDERS must list coss and/or anhui, comma separated' })
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
  @IsIn(['seconds', 'minutes', 'hours', 'days'])
  CA_TIME_REGION_UNIT?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  CA_DEFAULT_TIME_REGION?: number;

  @IsOptional()
  @Matches(/^[\x20-\x7e]{1,64}$/, { message: 'CA_SM2_USER_ID must be 1-64 printable ASCII characters' })
  CA_SM2_USER_ID?: string;

  @IsOptional()
  @IsUrl(URL_OPTIONS)
  COSS_BASE_URL?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{4,128}$/, { message: 'COSS_APP_ID must be 4-128 letters, digits, _ or -' })
  COSS_APP_ID?: string;

  @IsOptional()
  @IsString()
  @MinLength(8)
  COSS_APP_SECRET?: string;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120000)
  COSS_TIMEOUT_MS?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5)
  COSS_READ_RETRIES?: number;

  @IsOptional()
  @IsString()
  COSS_TRUSTED_ROOTS?: string;

  @IsOptional()
  @IsUrl(URL_OPTIONS)
  ANHUI_SCAN_BASE_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  ANHUI_ACCOUNT_NAME?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  ANHUI_PASSWORD?: string;

  @IsOptional()
  @Matches(/^[A-Z0-9]{11}$/, { message: 'ANHUI_CITY must be an 11-character platform code such as P3401000001' })
  ANHUI_CITY?: string;

  @IsOptional()
  @IsInt()
  @Min(50)
  @Max(5000)
  ANHUI_POLL_INTERVAL_MS?: number;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120000)
  ANHUI_TIMEOUT_MS?: number;

  @IsOptional()
  @IsString()
  ANHUI_TRUSTED_ROOTS?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1800)
  ANHUI_TOKEN_TTL_SECONDS?: number;
}

export class ConfigValidationError extends Error {}

/** Used as @nestjs/config's `validate`: returns the typed env or throws naming every bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const known = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
  const env = plainToInstance(EnvironmentVariables, known, { enableImplicitConversion: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  const problems = errors.map((e) => {
    const why = Object.values(e.constraints ?? {}).join('; ');
    return `${e.property}=${JSON.stringify(raw[e.property])}: ${why}`;
  });
  if (env.NODE_ENV === 'production') problems.push(...productionProblems(env));
  if (problems.length > 0) {
    throw new ConfigValidationError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return env;
}

export function enabledProviders(env: EnvironmentVariables): ProviderName[] {
  return (env.CA_PROVIDERS ?? 'coss,anhui').split(',') as ProviderName[];
}

function productionProblems(env: EnvironmentVariables): string[] {
  const problems: string[] = [];
  const need = (name: keyof EnvironmentVariables, why: string) => {
    if (!env[name]) problems.push(`${name} is required in production (${why})`);
  };
  need('MONGODB_URI', 'the embedded database is for development only');
  const providers = enabledProviders(env);
  if (providers.includes('coss')) need('COSS_BASE_URL', 'without it the built-in COSS simulator would be used');
  if (providers.includes('anhui')) {
    need('ANHUI_SCAN_BASE_URL', 'without it the built-in scan-service simulator would be used');
    need('ANHUI_ACCOUNT_NAME', 'the sandbox account is for the simulator only');
    need('ANHUI_PASSWORD', 'the sandbox password is for the simulator only');
    if (env.ANHUI_POLL_INTERVAL_MS !== undefined && env.ANHUI_POLL_INTERVAL_MS < 3000) {
      problems.push('ANHUI_POLL_INTERVAL_MS must be 3000-5000 in production (the scan-service spec asks 3-5 s)');
    }
  }
  const defaultProvider = env.CA_DEFAULT_PROVIDER ?? providers[0];
  if (!providers.includes(defaultProvider as ProviderName)) {
    problems.push(`CA_DEFAULT_PROVIDER=${defaultProvider} is not in CA_PROVIDERS`);
  }
  return problems;
}
