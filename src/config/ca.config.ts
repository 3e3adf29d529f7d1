import { registerAs } from '@nestjs/config';
import { ProviderName, validateEnvironment } from './environment';

export type TimeRegionUnit = 'seconds' | 'minutes' | 'hours' | 'days';

export const caConfig = registerAs('ca', () => {
  const env = validateEnvironment(process.env);
  return {
    /** CA_PROVIDERS; every registered vendor when unset. */
    providers: env.CA_PROVIDERS?.split(',') as ProviderName[] | undefined,
    /** CA_DEFAULT_PROVIDER; the first enabled vendor when unset. */
    defaultProvider: env.CA_DEFAULT_PROVIDER as ProviderName | undefined,
    loginExpirySeconds: env.CA_LOGIN_EXPIRY_SECONDS ?? 300,
    pollIntervalMs: env.CA_POLL_INTERVAL_MS ?? 1500,
    signLeaseMs: env.CA_SIGN_LEASE_MS ?? 120_000,
    recoveryIntervalMs: env.CA_RECOVERY_INTERVAL_MS ?? 60_000,
    timeRegionUnit: (env.CA_TIME_REGION_UNIT ?? 'minutes') as TimeRegionUnit,
    defaultTimeRegion: env.CA_DEFAULT_TIME_REGION ?? 720,
    /** A longer timeRegion is clamped to this, not refused. */
    maxAuthorizationSeconds: (env.CA_MAX_AUTHORIZATION_HOURS ?? 24) * 3600,
    sm2UserId: env.CA_SM2_USER_ID ?? '1234567812345678',
    /** first-use: a UserCode's first verified login enrolls its identity; preenrolled: only administrators enroll. */
    enrollment: (env.CA_ENROLLMENT ?? 'first-use') as 'first-use' | 'preenrolled',
    /** startAutoSign per client address: per minute, and QR logins still waiting for a scan. */
    loginRateLimitPerMinute: env.LOGIN_RATE_LIMIT_PER_MINUTE ?? 30,
    loginMaxPendingPerAddress: env.LOGIN_MAX_PENDING_PER_ADDRESS ?? 5,
    /** Logins that never finished are removed this long after they started. */
    loginRetentionHours: env.LOGIN_RETENTION_HOURS ?? 24,
  };
});

/** Whether CA_PROVIDERS enables `name` (all registered vendors are enabled when it is unset). */
export function vendorEnabled(config: { providers?: ProviderName[] }, name: ProviderName): boolean {
  return config.providers?.includes(name) ?? true;
}
