import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpModule } from '@nestjs/axios';
import { Inject, Logger, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CaCoreModule } from '../ca/ca-core.module';
import { anhuiConfig, caConfig } from '../config';
import { loadCertificatesFromFiles, parseCertificate } from '../crypto';
import { AnhuiSimulator } from '../simulators/anhui/anhui-simulator';
import { startOnPreferredPort } from '../simulators/shared/preferred-port';
import { ANHUI_ENDPOINT, ANHUI_TRUSTED_ROOTS, AnhuiEndpoint } from './anhui-endpoint';
import { AnhuiClient } from './anhui.client';
import { AnhuiProvider } from './anhui.provider';

const IN_PROCESS_SIMULATOR = 'ANHUI_IN_PROCESS_SIMULATOR';

class StopAnhuiSimulator implements OnApplicationShutdown {
  constructor(@Optional() @Inject(IN_PROCESS_SIMULATOR) private readonly simulator?: AnhuiSimulator | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.simulator?.stop();
  }
}

@Module({
  imports: [
    CaCoreModule,
    HttpModule.registerAsync({
      inject: [anhuiConfig.KEY],
      useFactory: (config: ConfigType<typeof anhuiConfig>) => ({
        timeout: config.timeoutMs,
        httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
        httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
        maxRedirects: 0,
      }),
    }),
  ],
  providers: [
    {
      provide: IN_PROCESS_SIMULATOR,
      inject: [anhuiConfig.KEY, caConfig.KEY],
      useFactory: async (config: ConfigType<typeof anhuiConfig>, ca: ConfigType<typeof caConfig>) => {
        if (config.baseUrl || !ca.providers.includes('anhui')) return null;
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
      useFactory: (config: ConfigType<typeof anhuiConfig>, endpoint: AnhuiEndpoint) => [
        ...loadCertificatesFromFiles(config.trustedRootPaths),
        ...(endpoint.simulatorRoots ?? []).map((der) => parseCertificate(der)),
      ],
    },
    StopAnhuiSimulator,
    AnhuiClient,
    AnhuiProvider,
  ],
  exports: [AnhuiProvider, AnhuiClient],
})
export class AnhuiModule {}
