import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { EMBEDDED_ENDPOINTS, EmbeddedEndpoints } from '../../ca/vendor-module';
import { ANHUI_VENDOR } from '../../ca/vendors/anhui/anhui.client';
import { anhuiConfig } from '../../ca/vendors/anhui/anhui.config';
import { cossConfig } from '../../ca/vendors/coss/coss.config';
import { COSS_VENDOR } from '../../ca/vendors/coss/coss.mapping';
import { caConfig, vendorEnabled } from '../../config';
import { AnhuiSimulator } from '../anhui/anhui-simulator';
import { CossSimulator } from '../coss/coss-simulator';
import { startOnPreferredPort } from '../shared/preferred-port';

export const COSS_IN_PROCESS_SIMULATOR = 'COSS_IN_PROCESS_SIMULATOR';
export const ANHUI_IN_PROCESS_SIMULATOR = 'ANHUI_IN_PROCESS_SIMULATOR';

const logger = new Logger('EmbeddedSimulators');

async function startCoss(config: ConfigType<typeof cossConfig>, ca: ConfigType<typeof caConfig>) {
  if (config.baseUrl || !vendorEnabled(ca, COSS_VENDOR)) return null;
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
  logger.warn(`COSS_BASE_URL unset: using the built-in COSS SIMULATOR at ${simulator.url} (NOT FOR PRODUCTION)`);
  return simulator;
}

async function startAnhui(config: ConfigType<typeof anhuiConfig>, ca: ConfigType<typeof caConfig>) {
  if (config.baseUrl || !vendorEnabled(ca, ANHUI_VENDOR)) return null;
  const simulator = await startOnPreferredPort(
    (port) => AnhuiSimulator.start({ port, accountName: config.accountName, password: config.password }),
    'ANHUI_SIM_PORT',
    8702,
  );
  logger.warn(
    `ANHUI_SCAN_BASE_URL unset: using the built-in scan-service SIMULATOR at ${simulator.url} (NOT FOR PRODUCTION)`,
  );
  return simulator;
}

class StopSimulators implements OnApplicationShutdown {
  constructor(
    @Inject(COSS_IN_PROCESS_SIMULATOR) private readonly coss: CossSimulator | null,
    @Inject(ANHUI_IN_PROCESS_SIMULATOR) private readonly anhui: AnhuiSimulator | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.coss?.stop(), this.anhui?.stop()]);
  }
}

/**
 * The embedded defaults, outside production only: each shipped vendor that is enabled without a base URL gets its
 * simulator in-process, over loopback HTTP. main.ts loads this module only when NODE_ENV is not production, and the
 * production build leaves it out (tsconfig.build.json).
 */
@Global()
@Module({
  providers: [
    { provide: COSS_IN_PROCESS_SIMULATOR, inject: [cossConfig.KEY, caConfig.KEY], useFactory: startCoss },
    { provide: ANHUI_IN_PROCESS_SIMULATOR, inject: [anhuiConfig.KEY, caConfig.KEY], useFactory: startAnhui },
    {
      provide: EMBEDDED_ENDPOINTS,
      inject: [COSS_IN_PROCESS_SIMULATOR, ANHUI_IN_PROCESS_SIMULATOR],
      useFactory: (coss: CossSimulator | null, anhui: AnhuiSimulator | null): EmbeddedEndpoints => ({
        ...(coss && { [COSS_VENDOR]: { baseUrl: coss.url, simulatorRoots: [coss.rootCertificateDer] } }),
        ...(anhui && { [ANHUI_VENDOR]: { baseUrl: anhui.url, simulatorRoots: anhui.caCertificates } }),
      }),
    },
    StopSimulators,
  ],
  exports: [EMBEDDED_ENDPOINTS, COSS_IN_PROCESS_SIMULATOR, ANHUI_IN_PROCESS_SIMULATOR],
})
export class EmbeddedSimulatorsModule {}
