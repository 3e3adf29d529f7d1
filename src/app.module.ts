import { Module } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { pinoOptions } from './common/logging/logger.options';
import { anhuiConfig } from './ca/vendors/anhui/anhui.config';
import { cossConfig } from './ca/vendors/coss/coss.config';
import { appConfig, caConfig, mongoConfig, validateEnvironment } from './config';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LoginModule } from './login/login.module';
import { OperationsModule } from './operations/operations.module';
import { SignResultModule } from './sign-result/sign-result.module';
import { SigningModule } from './signing/signing.module';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      validate: validateEnvironment,
      load: [appConfig, mongoConfig, caConfig, cossConfig, anhuiConfig],
    }),
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (app: ConfigType<typeof appConfig>) => pinoOptions(app.logLevel),
    }),
    DatabaseModule,
    HealthModule,
    LoginModule,
    SigningModule,
    SignResultModule,
    OperationsModule,
  ],
})
export class AppModule {}
