import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { parseVariables } from '../../config/environment';
import { splitPaths } from '../../config/split-paths';
import { CrlStalePolicy } from './crl-registry';

/** The CRL_* variables (certificate revocation lists). */
export class CrlEnvironmentVariables {
  @IsOptional()
  @IsString()
  CRL_FILES?: string;

  @IsOptional()
  @Matches(/^https?:\/\/[^\s,]+(,\s*https?:\/\/[^\s,]+)*$/, {
    message: 'CRL_URLS must be http(s) URLs, comma separated',
  })
  CRL_URLS?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10080)
  CRL_REFRESH_MINUTES?: number;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120_000)
  CRL_FETCH_TIMEOUT_MS?: number;

  @IsOptional()
  @IsIn(['warn', 'refuse'])
  CRL_STALE_POLICY?: string;
}

export function validateCrlEnvironment(raw: Record<string, unknown>): CrlEnvironmentVariables {
  return parseVariables(CrlEnvironmentVariables, raw);
}

export const crlConfig = registerAs('crl', () => {
  const env = validateCrlEnvironment(process.env);
  return {
    files: splitPaths(env.CRL_FILES),
    urls: (env.CRL_URLS ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean),
    refreshMinutes: env.CRL_REFRESH_MINUTES ?? 60,
    fetchTimeoutMs: env.CRL_FETCH_TIMEOUT_MS ?? 10_000,
    stalePolicy: (env.CRL_STALE_POLICY ?? 'warn') as CrlStalePolicy,
  };
});
