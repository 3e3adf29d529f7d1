import { registerAs } from '@nestjs/config';
import { validateEnvironment } from './environment';

export const mongoConfig = registerAs('mongo', () => {
  const env = validateEnvironment(process.env);
  return { uri: env.MONGODB_URI, dbName: env.MONGODB_DB ?? 'mnis', timeoutMs: env.MONGODB_TIMEOUT_MS ?? 5000 };
});
