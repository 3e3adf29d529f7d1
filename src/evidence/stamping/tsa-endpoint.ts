import { Logger, Provider } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { appConfig } from '../../config';
import { CertificateInfo, loadCertificatesFromFiles } from '../../crypto';
import { TsaSimulator } from '../../simulators/tsa';
import { startOnPreferredPort } from '../../simulators/shared/preferred-port';
import { TimestampClient } from '../timestamp';
import { tsaConfig } from '../timestamp/tsa.config';

export const TSA_IN_PROCESS_SIMULATOR = 'TSA_IN_PROCESS_SIMULATOR';
/** The roots a TSA certificate must chain to: TSA_TRUSTED_ROOTS, and the simulator's on embedded defaults. */
export const TSA_TRUST = 'TSA_TRUST';

/** On embedded defaults (no TSA_URL, timestamps on, not production) the built-in TSA simulator answers in-process. */
export const tsaSimulatorProvider: Provider = {
  provide: TSA_IN_PROCESS_SIMULATOR,
  inject: [tsaConfig.KEY, appConfig.KEY],
  useFactory: async (tsa: ConfigType<typeof tsaConfig>, app: ConfigType<typeof appConfig>) => {
    if (tsa.disabled || tsa.url || app.isProduction) return null;
    const simulator = await startOnPreferredPort((port) => TsaSimulator.start({ port }), 'TSA_SIM_PORT', 8703);
    new Logger('Evidence').warn(
      `TSA_URL unset: using the built-in TSA SIMULATOR at ${simulator.url}/tsa, its roots trusted (NOT FOR PRODUCTION)`,
    );
    return simulator;
  },
};

export const tsaTrustProvider: Provider = {
  provide: TSA_TRUST,
  inject: [tsaConfig.KEY, TSA_IN_PROCESS_SIMULATOR],
  useFactory: (tsa: ConfigType<typeof tsaConfig>, simulator: TsaSimulator | null): CertificateInfo[] => [
    ...loadCertificatesFromFiles(tsa.trustedRootPaths),
    ...(simulator?.trustedRoots ?? []),
  ],
};

/** The RFC 3161 client of the configured TSA (or the simulator); null with TSA_DISABLED=true. */
export const timestampClientProvider: Provider = {
  provide: TimestampClient,
  inject: [tsaConfig.KEY, TSA_IN_PROCESS_SIMULATOR, TSA_TRUST],
  useFactory: (tsa: ConfigType<typeof tsaConfig>, simulator: TsaSimulator | null, roots: CertificateInfo[]) => {
    if (tsa.disabled) return null;
    return new TimestampClient({
      url: tsa.url ?? `${simulator!.url}/tsa`,
      hash: tsa.hash,
      policy: tsa.policy,
      timeoutMs: tsa.timeoutMs,
      maxSkewSeconds: tsa.maxSkewSeconds,
      trustedRoots: roots,
    });
  },
};
