import { appConfig } from './app.config';
import { HTTP_PRODUCTION } from './http-rules.testing';

describe('appConfig', () => {
  const withEnv = (env: Record<string, string>) => {
    const saved = process.env;
    process.env = { ...env };
    try {
      return appConfig();
    } finally {
      process.env = saved;
    }
  };

  it('serves /docs outside production, and in production only with DOCS_ENABLED=true', () => {
    const production = {
      NODE_ENV: 'production',
      MONGODB_URI: 'mongodb://db:27017',
      CA_PROVIDERS: 'coss',
      COSS_BASE_URL: 'https://coss.example',
      ...HTTP_PRODUCTION,
    };
    expect(withEnv({}).docsEnabled).toBe(true);
    expect(withEnv({ DOCS_ENABLED: 'false' }).docsEnabled).toBe(false);
    expect(withEnv(production).docsEnabled).toBe(false);
    expect(withEnv({ ...production, DOCS_ENABLED: 'true' }).docsEnabled).toBe(true);
  });

  it('defaults to zh-CN messages, JSON depth 64 and no CORS origins', () => {
    expect(withEnv({})).toMatchObject({
      defaultLocale: 'zh-CN',
      jsonMaxDepth: 64,
      corsOrigins: [],
      apiKeys: undefined,
    });
  });
});
