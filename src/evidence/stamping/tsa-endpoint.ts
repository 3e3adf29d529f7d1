import { Provider } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CertificateInfo, loadCertificatesFromFiles, parseCertificate } from '../../crypto';
import { ThreadedTimestampClient, TimestampClient } from '../timestamp';
import { tsaConfig } from '../timestamp/tsa.config';

/** The in-process TSA simulator's address and roots, provided from the top on embedded defaults only. */
export const EMBEDDED_TSA = 'EMBEDDED_TSA';
export interface EmbeddedTsa {
  url: string;
  roots: Buffer[];
}

/** The roots a TSA certificate must chain to: TSA_TRUSTED_ROOTS, and the simulator's on embedded defaults. */
export const TSA_TRUST = 'TSA_TRUST';

export const tsaTrustProvider: Provider = {
  provide: TSA_TRUST,
  inject: [tsaConfig.KEY, { token: EMBEDDED_TSA, optional: true }],
  useFactory: (tsa: ConfigType<typeof tsaConfig>, embedded?: EmbeddedTsa | null): CertificateInfo[] => [
    ...loadCertificatesFromFiles(tsa.trustedRootPaths),
    ...(embedded?.roots ?? []).map((der) => parseCertificate(der)),
  ],
};

/** The RFC 3161 client of the configured TSA (or the embedded simulator); null with TSA_DISABLED=true or no TSA. */
export const timestampClientProvider: Provider = {
  provide: TimestampClient,
  inject: [tsaConfig.KEY, TSA_TRUST, { token: EMBEDDED_TSA, optional: true }],
  useFactory: (tsa: ConfigType<typeof tsaConfig>, roots: CertificateInfo[], embedded?: EmbeddedTsa | null) => {
    const url = tsa.url ?? embedded?.url;
    if (tsa.disabled || !url) return null;
    const options = {
      url,
      hash: tsa.hash,
      policy: tsa.policy,
      timeoutMs: tsa.timeoutMs,
      maxSkewSeconds: tsa.maxSkewSeconds,
      trustedRoots: roots,
    };
    return tsa.workerThreads > 0
      ? new ThreadedTimestampClient(options, tsa.workerThreads)
      : new TimestampClient(options);
  },
};
