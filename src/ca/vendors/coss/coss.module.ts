import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CaCoreModule } from '../../ca-core.module';
import {
  EMBEDDED_ENDPOINTS,
  EmbeddedEndpoints,
  trustedRoots,
  vendorEndpoint,
  vendorHttpModule,
} from '../../vendor-module';
import { COSS_ENDPOINT, COSS_TRUSTED_ROOTS, CossEndpoint } from './coss-endpoint';
import { CossClient } from './coss.client';
import { cossConfig } from './coss.config';
import { COSS_VENDOR } from './coss.mapping';
import { CossProvider } from './coss.provider';

@Module({
  imports: [CaCoreModule, vendorHttpModule(cossConfig.KEY, (config) => config.timeoutMs)],
  providers: [
    {
      provide: COSS_ENDPOINT,
      inject: [cossConfig.KEY, { token: EMBEDDED_ENDPOINTS, optional: true }],
      useFactory: (config: ConfigType<typeof cossConfig>, embedded?: EmbeddedEndpoints): CossEndpoint =>
        vendorEndpoint(COSS_VENDOR, config.baseUrl, embedded),
    },
    {
      provide: COSS_TRUSTED_ROOTS,
      inject: [cossConfig.KEY, COSS_ENDPOINT],
      useFactory: (config: ConfigType<typeof cossConfig>, endpoint: CossEndpoint) =>
        trustedRoots(config.trustedRootPaths, endpoint),
    },
    CossClient,
    CossProvider,
  ],
  exports: [CossProvider, COSS_ENDPOINT],
})
export class CossModule {}
