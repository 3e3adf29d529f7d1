import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { EMBEDDED_ENDPOINTS, EmbeddedEndpoints } from '../../ca/vendor-module';
import { ANHUI_VENDOR } from '../../ca/vendors/anhui/anhui.client';
import { anhuiConfig } from '../../ca/vendors/anhui/anhui.config';
import { cossConfig } from '../../ca/vendors/coss/coss.config';
import { COSS_VENDOR } from '../../ca/vendors/coss/coss.mapping';
import { appConfig, caConfig, vendorEnabled } from '../../config';
import { EMBEDDED_TSA, EmbeddedTsa } from '../../evidence/stamping/tsa-endpoint';
import { tsaConfig } from '../../evidence/timestamp/tsa.config';
import { AnhuiSimulator } from '../anhui/anhui-simulator';
import { CossSimulator } from '../coss/coss-simulator';
import { startOnPreferredPort } from '../shared/preferred-port';
import { TsaSimulator } from '../tsa';

export const COSS_IN_PROCESS_SIMULATOR = 'COSS_IN_PROCESS_SIMULATOR';
export const ANHUI_IN_PROCESS_SIMULATOR = 'ANHUI_IN_PROCESS_SIMULATOR';
export const TSA_IN_PROCESS_SIMULATOR = 'TSA_IN_PROCESS_SIMULATOR';

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

async function startTsa(tsa: ConfigType<typeof tsaConfig>, app: ConfigType<typeof appConfig>) {
  if (tsa.disabled || tsa.url || app.isProduction) return null;
  const simulator = await startOnPreferredPort((port) => TsaSimulator.start({ port }), 'TSA_SIM_PORT', 8703);
  logger.warn(
    `TSA_URL unset: using the built-in TSA SIMULATOR at ${simulator.url}/tsa, its roots trusted (NOT FOR PRODUCTION)`,
  );
  return simulator;
}

class StopSimulators implements OnApplicationShutdown {
  constructor(
    @Inject(COSS_IN_PROCESS_SIMULATOR) private readonly coss: CossSimulator | null,
    @Inject(ANHUI_IN_PROCESS_SIMULATOR) private readonly anhui: AnhuiSimulator | null,
    @Inject(TSA_IN_PROCESS_SIMULATOR) private readonly tsa: TsaSimulator | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.coss?.stop(), this.anhui?.stop(), this.tsa?.stop()]);
  }
}

/**
 * The embedded defaults, outside production only: each shipped vendor that is enabled without a base URL gets its
 * simulator in-process, over loopback HTTP. main.ts loads this module only when NODE_ENV is not production, and the
 * production build leaves it out (tsconfig.build.json).
 */
@Global()
@Module({
  imports: [ConfigModule.forFeature(tsaConfig)],
  providers: [
    { provide: TSA_IN_PROCESS_SIMULATOR, inject: [tsaConfig.KEY, appConfig.KEY], useFactory: startTsa },
    {
      provide: EMBEDDED_TSA,
      inject: [TSA_IN_PROCESS_SIMULATOR],
      useFactory: (tsa: TsaSimulator | null): EmbeddedTsa | null =>
        tsa && { url: `${tsa.url}/tsa`, roots: tsa.trustedRoots.map((root) => root.der) },
    },
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
  exports: [
    EMBEDDED_ENDPOINTS,
    EMBEDDED_TSA,
    COSS_IN_PROCESS_SIMULATOR,
    ANHUI_IN_PROCESS_SIMULATOR,
    TSA_IN_PROCESS_SIMULATOR,
  ],
})
export class EmbeddedSimulatorsModule {}
