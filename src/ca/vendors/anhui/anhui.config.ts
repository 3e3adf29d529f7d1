import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { parseVariables, requiredInProduction, trustedRootsRequired, URL_OPTIONS } from '../../../config/environment';
import { splitPaths } from '../../../config/split-paths';

export const ANHUI_SANDBOX_ACCOUNT = { accountName: 'mnis-sandbox', password: 'sandbox-only' };

export class AnhuiEnvironment {
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

export function anhuiProductionProblems(env: AnhuiEnvironment): string[] {
  const vars = { ...env };
  const problems = [
    ...requiredInProduction(
      vars,
      'ANHUI_SCAN_BASE_URL',
      'without it the built-in scan-service simulator would be used',
    ),
    ...requiredInProduction(vars, 'ANHUI_ACCOUNT_NAME', 'the sandbox account is for the simulator only'),
    ...requiredInProduction(vars, 'ANHUI_PASSWORD', 'the sandbox password is for the simulator only'),
    ...trustedRootsRequired(vars, 'ANHUI_TRUSTED_ROOTS'),
  ];
  if (env.ANHUI_ACCOUNT_NAME === ANHUI_SANDBOX_ACCOUNT.accountName) {
    problems.push('ANHUI_ACCOUNT_NAME is the simulators’ sandbox account, refused in production');
  }
  if (env.ANHUI_PASSWORD === ANHUI_SANDBOX_ACCOUNT.password) {
    problems.push('ANHUI_PASSWORD is the simulators’ sandbox password, refused in production');
  }
  if (env.ANHUI_POLL_INTERVAL_MS !== undefined && env.ANHUI_POLL_INTERVAL_MS < 3000) {
    problems.push('ANHUI_POLL_INTERVAL_MS must be 3000-5000 in production (the scan-service spec asks 3-5 s)');
  }
  return problems;
}

export const anhuiConfig = registerAs('anhui', () => {
  const env = parseVariables(AnhuiEnvironment, process.env);
  return {
    baseUrl: env.ANHUI_SCAN_BASE_URL,
    accountName: env.ANHUI_ACCOUNT_NAME ?? ANHUI_SANDBOX_ACCOUNT.accountName,
    password: env.ANHUI_PASSWORD ?? ANHUI_SANDBOX_ACCOUNT.password,
    city: env.ANHUI_CITY ?? 'P3401000001',
    pollIntervalMs: env.ANHUI_POLL_INTERVAL_MS ?? 3000,
    timeoutMs: env.ANHUI_TIMEOUT_MS ?? 5000,
    trustedRootPaths: splitPaths(env.ANHUI_TRUSTED_ROOTS),
    /** The spec gives tokens half an hour; they are renewed at 90% of this. */
    tokenTtlSeconds: env.ANHUI_TOKEN_TTL_SECONDS ?? 1800,
  };
});
