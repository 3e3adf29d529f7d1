import { Logger, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CaCoreModule } from '../../ca-core.module';
import { simulatorShutdown, trustedRoots, vendorHttpModule } from '../../vendor-module';
import { caConfig, vendorEnabled } from '../../../config';
import { cossConfig } from './coss.config';
import { CossSimulator } from '../../../simulators/coss/coss-simulator';
import { startOnPreferredPort } from '../../../simulators/shared/preferred-port';
import { COSS_ENDPOINT, COSS_TRUSTED_ROOTS, CossEndpoint } from './coss-endpoint';
import { CossClient } from './coss.client';
import { CossProvider } from './coss.provider';

const IN_PROCESS_SIMULATOR = 'COSS_IN_PROCESS_SIMULATOR';

@Module({
  imports: [CaCoreModule, vendorHttpModule(cossConfig.KEY, (config) => config.timeoutMs)],
  providers: [
    {
      provide: IN_PROCESS_SIMULATOR,
      inject: [cossConfig.KEY, caConfig.KEY],
      useFactory: async (config: ConfigType<typeof cossConfig>, ca: ConfigType<typeof caConfig>) => {
        if (config.baseUrl || !vendorEnabled(ca, 'coss')) return null;
        const simulator = await startOnPreferredPort(
          (port) =>
            CossSimulator.start({
              port,
              appId: config.appId,
              appSecret: config.appSecret,
              // The simulator knows seconds and minutes; coarser gateway units are sent as minutes.
              timeRegionUnit: ca.timeRegionUnit === 'seconds' ? 'seconds' : 'minutes',
            }),
          'COSS_SIM_PORT',
          8701,
        );
        new Logger('CossModule').warn(
          `COSS_BASE_URL unset: using the built-in COSS SIMULATOR at ${simulator.url} (NOT FOR PRODUCTION)`,
        );
        return simulator;
      },
    },
    {
      provide: COSS_ENDPOINT,
      inject: [cossConfig.KEY, IN_PROCESS_SIMULATOR],
      useFactory: (config: ConfigType<typeof cossConfig>, simulator: CossSimulator | null): CossEndpoint =>
        simulator
          ? { baseUrl: simulator.url, simulatorRoots: [simulator.rootCertificateDer] }
          : { baseUrl: config.baseUrl ?? 'http://coss-disabled.invalid' },
    },
    {
      provide: COSS_TRUSTED_ROOTS,
      inject: [cossConfig.KEY, COSS_ENDPOINT],
      useFactory: (config: ConfigType<typeof cossConfig>, endpoint: CossEndpoint) =>
        trustedRoots(config.trustedRootPaths, endpoint),
    },
    simulatorShutdown(IN_PROCESS_SIMULATOR),
    CossClient,
    CossProvider,
  ],
  exports: [CossProvider, COSS_ENDPOINT],
})
export class CossModule {}
