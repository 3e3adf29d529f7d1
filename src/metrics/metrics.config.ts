import { registerAs } from '@nestjs/config';
import { validateEnvironment } from '../config/environment';

export const metricsConfig = registerAs('metrics', () => ({
  /** When set, /metrics is also served without a key on this port, on 127.0.0.1 only. */
  port: validateEnvironment(process.env).METRICS_PORT,
}));
