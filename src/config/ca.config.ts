import { registerAs } from '@nestjs/config';
import { enabledProviders, ProviderName, validateEnvironment } from './environment';

export type TimeRegionUnit = 'seconds' | 'minutes' | 'hours' | 'days';

export const caConfig = registerAs('ca', () => {
  const env = validateEnvironment(process.env);
  const providers = enabledProviders(env);
  return {
    providers,
    defaultProvider: (env.CA_DEFAULT_PROVIDER ?? providers[0]) as ProviderName,
    loginExpirySeconds: env.CA_LOGIN_EXPIRY_SECONDS ?? 300,
    pollIntervalMs: env.CA_POLL_INTERVAL_MS ?? 1500,
    timeRegionUnit: (env.CA_TIME_REGION_UNIT ?? 'minutes') as TimeRegionUnit,
    defaultTimeRegion: env.CA_DEFAULT_TIME_REGION ?? 720,
    sm2UserId: env.CA_SM2_USER_ID ?? '1234567812345678',
  };
});
