import { registerAs } from '@nestjs/config';
import { validateEnvironment } from './environment';

export const appConfig = registerAs('app', () => {
  const env = validateEnvironment(process.env);
  const nodeEnv = env.NODE_ENV ?? 'development';
  return {
    nodeEnv,
    isProduction: nodeEnv === 'production',
    port: env.PORT ?? 3000,
    host: env.HOST ?? '0.0.0.0',
    bodyLimitBytes: env.BODY_LIMIT_BYTES ?? 2 * 1024 * 1024,
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'),
  };
});
