import { Logger } from '@nestjs/common';
import { AppModule } from '../src/app.module';
import { createApp } from '../src/common/http/create-app';
import { HTTP_PRODUCTION } from '../src/config/http-rules.testing';
import { startTestApp } from './support/test-app';

describe('Evidence start-up (TSA_*, CRL_*)', () => {
  it('refuses production without TSA_URL, naming it', async () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        ...HTTP_PRODUCTION,
        NODE_ENV: 'production',
        MONGODB_URI: 'mongodb://127.0.0.1:1',
        CA_PROVIDERS: 'coss',
        COSS_BASE_URL: 'http://127.0.0.1:1',
      });
      delete process.env.TSA_URL;
      delete process.env.TSA_DISABLED;
      await expect(createApp(() => AppModule.register())).rejects.toThrow(/TSA_URL is required in production/);
    } finally {
      process.env = saved;
    }
  });

  it('warns at start when timestamps are disabled, and not otherwise', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const disabledWarning = () =>
      warn.mock.calls.filter(([message]) => String(message).includes('TSA_DISABLED=true')).length;
    try {
      const plain = await startTestApp();
      await plain.close();
      expect(disabledWarning()).toBe(0);
      const disabled = await startTestApp({ TSA_DISABLED: 'true' });
      await disabled.close();
      expect(disabledWarning()).toBe(1);
    } finally {
      warn.mockRestore();
    }
  });
});
