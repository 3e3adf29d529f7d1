import { registerAs } from '@nestjs/config';
import { loadApiKeys } from '../auth/api-keys.config';
import type { Locale } from '../common/errors/messages';
import { DEFAULT_JSON_MAX_DEPTH } from '../common/http/json-depth';
import { DEFAULT_BODY_LIMIT_BYTES } from '../common/http/server-options';
import { validateEnvironment } from './environment';

export const appConfig = registerAs('app', () => {
  const env = validateEnvironment(process.env);
  const nodeEnv = env.NODE_ENV ?? 'development';
  const isProduction = nodeEnv === 'production';
  return {
    nodeEnv,
    isProduction,
    port: env.PORT ?? 3000,
    host: env.HOST ?? '0.0.0.0',
    bodyLimitBytes: env.BODY_LIMIT_BYTES ?? DEFAULT_BODY_LIMIT_BYTES,
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'),
    /** undefined: no keys configured, the keyed routes are open (refused in production). */
    apiKeys: loadApiKeys(env),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    jsonMaxDepth: env.JSON_MAX_DEPTH ?? DEFAULT_JSON_MAX_DEPTH,
    docsEnabled: env.DOCS_ENABLED === undefined ? !isProduction : env.DOCS_ENABLED === 'true',
    tls: Boolean(env.TLS_CERT_FILE && env.TLS_KEY_FILE),
    defaultLocale: (env.DEFAULT_LOCALE ?? 'zh-CN') as Locale,
  };
});
