import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpModule } from '@nestjs/axios';
import { Inject, Logger, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CaCoreModule } from '../ca/ca-core.module';
import { caConfig, cossConfig } from '../config';
import { loadCertificatesFromFiles, parseCertificate } from '../crypto';
import { CossSimulator } from '../simulators/coss/coss-simulator';
import { startOnPreferredPort } from '../simulators/shared/preferred-port';
import { COSS_ENDPOINT, COSS_TRUSTED_ROOTS, CossEndpoint } from './coss-endpoint';
import { CossClient } from './coss.client';
import { CossProvider } from './coss.provider';

const IN_PROCESS_SIMULATOR = 'COSS_IN_PROCESS_SIMULATOR';

class StopCossSimulator implements OnApplicationShutdown {
  constructor(@Optional() @Inject(IN_PROCESS_SIMULATOR) private readonly simulator?: CossSimulator | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.simulator?.stop();
  }
}

@Module({
  imports: [
    CaCoreModule,
    HttpModule.registerAsync({
      inject: [cossConfig.KEY],
      useFactory: (config: ConfigType<typeof cossConfig>) => ({
        timeout: config.timeoutMs,
        httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 128 }),
        httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 128 }),
        maxRedirects: 0,
      }),
    }),
  ],
  providers: [
    {
      provide: IN_PROCESS_SIMULATOR,
      inject: [cossConfig.KEY, caConfig.KEY],
      useFactory: async (config: ConfigType<typeof cossConfig>, ca: ConfigType<typeof caConfig>) => {
        if (config.baseUrl || !ca.providers.includes('coss')) return null;
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
        new Logger('CossModule').warn(`COSS_BASE_URL unset: using the built-in COSS SIMULATOR at ${simulator.url} (NOT FOR PRODUCTION)`);
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
      useFactory: (config: ConfigType<typeof cossConfig>, endpoint: CossEndpoint) => [
        ...loadCertificatesFromFiles(config.trustedRootPaths),
        ...(endpoint.simulatorRoots ?? []).map((der) => parseCertificate(der)),
      ],
    },
    StopCossSimulator,
    CossClient,
    CossProvider,
  ],
  exports: [CossProvider, COSS_ENDPOINT],
})
export class CossModule {}
