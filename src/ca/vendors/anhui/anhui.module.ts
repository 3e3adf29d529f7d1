import { Logger, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CaCoreModule } from '../../ca-core.module';
import { simulatorShutdown, trustedRoots, vendorHttpModule } from '../../vendor-module';
import { caConfig, vendorEnabled } from '../../../config';
import { anhuiConfig } from './anhui.config';
import { AnhuiSimulator } from '../../../simulators/anhui/anhui-simulator';
import { startOnPreferredPort } from '../../../simulators/shared/preferred-port';
import { ANHUI_ENDPOINT, ANHUI_TRUSTED_ROOTS, AnhuiEndpoint } from './anhui-endpoint';
import { AnhuiClient } from './anhui.client';
import { AnhuiProvider } from './anhui.provider';

const IN_PROCESS_SIMULATOR = 'ANHUI_IN_PROCESS_SIMULATOR';

@Module({
  imports: [CaCoreModule, vendorHttpModule(anhuiConfig.KEY, (config) => config.timeoutMs)],
  providers: [
    {
      provide: IN_PROCESS_SIMULATOR,
      inject: [anhuiConfig.KEY, caConfig.KEY],
      useFactory: async (config: ConfigType<typeof anhuiConfig>, ca: ConfigType<typeof caConfig>) => {
        if (config.baseUrl || !vendorEnabled(ca, 'anhui')) return null;
        const simulator = await startOnPreferredPort(
          (port) => AnhuiSimulator.start({ port, accountName: config.accountName, password: config.password }),
          'ANHUI_SIM_PORT',
          8702,
        );
        new Logger('AnhuiModule').warn(
          `ANHUI_SCAN_BASE_URL unset: using the built-in scan-service SIMULATOR at ${simulator.url} (NOT FOR PRODUCTION)`,
        );
        return simulator;
      },
    },
    {
      provide: ANHUI_ENDPOINT,
      inject: [anhuiConfig.KEY, IN_PROCESS_SIMULATOR],
      useFactory: (config: ConfigType<typeof anhuiConfig>, simulator: AnhuiSimulator | null): AnhuiEndpoint =>
        simulator
          ? { baseUrl: simulator.url, simulatorRoots: simulator.caCertificates }
          : { baseUrl: config.baseUrl ?? 'http://anhui-disabled.invalid' },
    },
    {
      provide: ANHUI_TRUSTED_ROOTS,
      inject: [anhuiConfig.KEY, ANHUI_ENDPOINT],
      useFactory: (config: ConfigType<typeof anhuiConfig>, endpoint: AnhuiEndpoint) =>
        trustedRoots(config.trustedRootPaths, endpoint),
    },
    simulatorShutdown(IN_PROCESS_SIMULATOR),
    AnhuiClient,
    AnhuiProvider,
  ],
  exports: [AnhuiProvider, AnhuiClient],
})
export class AnhuiModule {}
