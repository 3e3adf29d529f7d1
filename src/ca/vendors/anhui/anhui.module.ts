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
import { ANHUI_ENDPOINT, ANHUI_TRUSTED_ROOTS, AnhuiEndpoint } from './anhui-endpoint';
import { ANHUI_VENDOR, AnhuiClient } from './anhui.client';
import { anhuiConfig } from './anhui.config';
import { AnhuiProvider } from './anhui.provider';

@Module({
  imports: [CaCoreModule, vendorHttpModule(anhuiConfig.KEY, (config) => config.timeoutMs)],
  providers: [
    {
      provide: ANHUI_ENDPOINT,
      inject: [anhuiConfig.KEY, { token: EMBEDDED_ENDPOINTS, optional: true }],
      useFactory: (config: ConfigType<typeof anhuiConfig>, embedded?: EmbeddedEndpoints): AnhuiEndpoint =>
        vendorEndpoint(ANHUI_VENDOR, config.baseUrl, embedded),
    },
    {
      provide: ANHUI_TRUSTED_ROOTS,
      inject: [anhuiConfig.KEY, ANHUI_ENDPOINT],
      useFactory: (config: ConfigType<typeof anhuiConfig>, endpoint: AnhuiEndpoint) =>
        trustedRoots(config.trustedRootPaths, endpoint),
    },
    AnhuiClient,
    AnhuiProvider,
  ],
  exports: [AnhuiProvider, AnhuiClient],
})
export class AnhuiModule {}
