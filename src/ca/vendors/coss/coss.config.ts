import { registerAs } from '@nestjs/config';
import { splitPaths } from '../../../config/split-paths';
import { validateEnvironment } from '../../../config/environment';

/** The appId the seed fixes for autoSign. */
export const SEED_COSS_APP_ID = 'APP_0157E810F6894BEEB4DEC70331720557';

export const cossConfig = registerAs('coss', () => {
  const env = validateEnvironment(process.env);
  return {
    baseUrl: env.COSS_BASE_URL,
    appId: env.COSS_APP_ID ?? SEED_COSS_APP_ID,
    appSecret: env.COSS_APP_SECRET,
    timeoutMs: env.COSS_TIMEOUT_MS ?? 5000,
    readRetries: env.COSS_READ_RETRIES ?? 2,
    trustedRootPaths: splitPaths(env.COSS_TRUSTED_ROOTS),
  };
});
