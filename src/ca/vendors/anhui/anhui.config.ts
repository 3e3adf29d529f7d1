import { registerAs } from '@nestjs/config';
import { splitPaths } from '../../../config/split-paths';
import { validateEnvironment } from '../../../config/environment';

export const ANHUI_SANDBOX_ACCOUNT = { accountName: 'mnis-sandbox', password: 'sandbox-only' };

export const anhuiConfig = registerAs('anhui', () => {
  const env = validateEnvironment(process.env);
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
