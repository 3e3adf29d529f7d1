import { DynamicModule, Module, Type } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { CaVendor } from './ca/ca-vendor';
import { CaVendorsModule } from './ca/ca-vendors.module';
import { CA_VENDORS } from './ca/vendors';
import { pinoOptions } from './common/logging/logger.options';
import { ConsoleModule } from './console/console.module';
import { appConfig, caConfig, checkEnvironment, mongoConfig } from './config';
import { DatabaseModule } from './database/database.module';
import { EvidenceModule } from './evidence/evidence.module';
import { AuditModule } from './evidence/audit/audit.module';
import { EvidenceExportModule } from './evidence/export/evidence-export.module';
import { HealthModule } from './health/health.module';
import { LoginModule } from './login/login.module';
import { MetricsModule } from './metrics/metrics.module';
import { OperationsModule } from './operations/operations.module';
import { SignResultModule } from './sign-result/sign-result.module';
import { SigningModule } from './signing/signing.module';

export interface AppOptions {
  /** The CA vendors to register; the shipped ones by default. */
  vendors?: readonly CaVendor[];
  /** Modules wired in from the top, e.g. the embedded simulators outside production. */
  imports?: (Type | DynamicModule)[];
  /** Where log lines go; standard output by default (specs read the lines a deployment would write). */
  logStream?: DestinationStream;
}

@Module({})
export class AppModule {
  static register({ vendors = CA_VENDORS, imports = [], logStream }: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          validate: (raw) => checkEnvironment(raw, vendors),
          load: [appConfig, mongoConfig, caConfig, ...vendors.map((vendor) => vendor.config)],
        }),
        LoggerModule.forRootAsync({
          inject: [appConfig.KEY],
          useFactory: (app: ConfigType<typeof appConfig>) => pinoOptions(app.logLevel, logStream),
        }),
        ...imports,
        CaVendorsModule.register(vendors),
        DatabaseModule,
        EvidenceModule,
        HealthModule,
        LoginModule,
        SigningModule,
        SignResultModule,
        OperationsModule,
        AuditModule,
        EvidenceExportModule,
        MetricsModule,
        ConsoleModule,
      ],
    };
  }
}
