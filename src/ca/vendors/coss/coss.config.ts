import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { parseVariables, requiredInProduction, trustedRootsRequired, URL_OPTIONS } from '../../../config/environment';
import { splitPaths } from '../../../config/split-paths';

/** The appId the seed fixes for autoSign. */
export const SEED_COSS_APP_ID = 'APP_0157E810F6894BEEB4DEC70331720557';

export class CossEnvironment {
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
}

export function cossProductionProblems(env: CossEnvironment): string[] {
  const vars = { ...env };
  return [
    ...requiredInProduction(vars, 'COSS_BASE_URL', 'without it the built-in COSS simulator would be used'),
    ...requiredInProduction(vars, 'COSS_APP_SECRET', 'without it the vendor cannot tell the gateway from anyone else'),
    ...trustedRootsRequired(vars, 'COSS_TRUSTED_ROOTS'),
  ];
}

export const cossConfig = registerAs('coss', () => {
  const env = parseVariables(CossEnvironment, process.env);
  return {
    baseUrl: env.COSS_BASE_URL,
    appId: env.COSS_APP_ID ?? SEED_COSS_APP_ID,
    appSecret: env.COSS_APP_SECRET,
    timeoutMs: env.COSS_TIMEOUT_MS ?? 5000,
    readRetries: env.COSS_READ_RETRIES ?? 2,
    trustedRootPaths: splitPaths(env.COSS_TRUSTED_ROOTS),
  };
});
