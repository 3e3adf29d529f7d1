import { ConfigType, registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { checkVariables, ConfigValidationError, URL_OPTIONS } from '../../config/environment';
import { splitPaths } from '../../config/split-paths';
import { TSA_HASHES, TsaHash } from './tsp.constants';

/** The TSA_* variables (trusted timestamps, RFC 3161 / GM/T 0033). */
export class TsaEnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'test', 'production'])
  NODE_ENV?: string;

  @IsOptional()
  @IsUrl(URL_OPTIONS)
  TSA_URL?: string;

  @IsOptional()
  @IsIn(TSA_HASHES)
  TSA_HASH?: string;

  @IsOptional()
  @IsString()
  TSA_TRUSTED_ROOTS?: string;

  @IsOptional()
  @Matches(/^[0-2](\.(0|[1-9][0-9]*))+$/, { message: 'TSA_POLICY must be an object identifier such as 1.2.3.4' })
  TSA_POLICY?: string;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120000)
  TSA_TIMEOUT_MS?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86400)
  TSA_MAX_SKEW_SECONDS?: number;

  @IsOptional()
  @IsIn(['true', 'false'])
  TSA_DISABLED?: string;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(3600000)
  TSA_SWEEP_INTERVAL_MS?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(16)
  TSA_WORKER_THREADS?: number;
}

function tsaProblems(env: TsaEnvironmentVariables): string[] {
  const problems: string[] = [];
  const disabled = env.TSA_DISABLED === 'true';
  if (env.TSA_URL && !env.TSA_TRUSTED_ROOTS && !disabled) {
    problems.push('TSA_TRUSTED_ROOTS is required with TSA_URL (the TSA certificate must chain to a configured root)');
  }
  if (env.NODE_ENV === 'production' && !env.TSA_URL && !disabled) {
    problems.push(
      'TSA_URL is required in production (without it the built-in TSA simulator would be used); set TSA_DISABLED=true to run without timestamps',
    );
  }
  return problems;
}

export function validateTsaEnvironment(raw: Record<string, unknown>): TsaEnvironmentVariables {
  const { env, problems } = checkVariables(TsaEnvironmentVariables, raw);
  problems.push(...tsaProblems(env));
  if (problems.length > 0) throw new ConfigValidationError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return env;
}

export const tsaConfig = registerAs('tsa', () => {
  const env = validateTsaEnvironment(process.env);
  return {
    disabled: env.TSA_DISABLED === 'true',
    /** Unset outside production: the built-in simulator takes its place once the timestamp job is wired. */
    url: env.TSA_URL,
    hash: (env.TSA_HASH ?? 'sm3') as TsaHash,
    trustedRootPaths: splitPaths(env.TSA_TRUSTED_ROOTS),
    policy: env.TSA_POLICY,
    timeoutMs: env.TSA_TIMEOUT_MS ?? 10_000,
    maxSkewSeconds: env.TSA_MAX_SKEW_SECONDS ?? 120,
    /** How often the stamper looks for due timestamps (crashes, other instances, retries after backoff). */
    sweepIntervalMs: env.TSA_SWEEP_INTERVAL_MS ?? 30_000,
    /** Worker threads for the TSA exchanges and their checks; 0 runs them on the event loop. */
    workerThreads: env.TSA_WORKER_THREADS ?? 1,
  };
});

/**
 * How long a claim on a timestamp holds: longer than the TSA may take to answer, so one instance at a time asks it for
 * a record; a claimer that dies leaves the record due again when the lease runs out.
 */
export function timestampLeaseMs(tsa: Pick<ConfigType<typeof tsaConfig>, 'timeoutMs'>): number {
  return tsa.timeoutMs + 30_000;
}
