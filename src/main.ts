import { DynamicModule, Logger, Type } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { AppModule } from './app.module';
import { createApp } from './common/http/create-app';
import { closeOnSignals } from './common/http/shutdown';
import { appConfig, validateEnvironment } from './config';

/**
 * The in-process simulators of the embedded defaults. The production build leaves them out (tsconfig.build.json), so
 * the path is a value the compiler does not follow, and it is loaded only outside production.
 */
const EMBEDDED_SIMULATORS = './simulators/embedded/embedded-simulators.module';

async function rootModule(): Promise<DynamicModule> {
  if (validateEnvironment(process.env).NODE_ENV === 'production') return AppModule.register();
  let embedded: { EmbeddedSimulatorsModule: Type };
  try {
    embedded = (await import(EMBEDDED_SIMULATORS)) as typeof embedded;
  } catch (error) {
    throw new Error(
      `this build has no embedded simulators (npm run build is for NODE_ENV=production): ${String(error).split('\n')[0]}`,
    );
  }
  return AppModule.register({ imports: [embedded.EmbeddedSimulatorsModule] });
}

async function bootstrap(): Promise<void> {
  const started = process.hrtime.bigint();
  const app = await createApp(rootModule);
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  closeOnSignals(app);
  await app.listen(config.port, config.host);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  // Nest names the scheme from its own httpsOptions, which are unset when Fastify serves TLS.
  const url = (await app.getUrl()).replace(/^http:/, config.tls ? 'https:' : 'http:');
  new Logger('Bootstrap').log(
    `mnis-ca-gateway listening on ${url} (${config.nodeEnv}, started in ${ms.toFixed(0)} ms)`,
  );
}

bootstrap().catch((error: Error) => {
  // The logger may not exist yet (configuration errors are raised before it is built).
  process.stderr.write(`mnis-ca-gateway failed to start: ${error.message}\n`);
  process.exit(1);
});
