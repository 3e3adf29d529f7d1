import { Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { AppModule } from './app.module';
import { createApp } from './common/http/create-app';
import { appConfig } from './config';

async function bootstrap(): Promise<void> {
  const started = process.hrtime.bigint();
  const app = await createApp(() => AppModule.register());
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  await app.listen(config.port, config.host);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  new Logger('Bootstrap').log(
    `mnis-ca-gateway listening on ${await app.getUrl()} (${config.nodeEnv}, started in ${ms.toFixed(0)} ms)`,
  );
}

bootstrap().catch((error: Error) => {
  // The logger may not exist yet (configuration errors are raised before it is built).
  process.stderr.write(`mnis-ca-gateway failed to start: ${error.message}\n`);
  process.exit(1);
});
