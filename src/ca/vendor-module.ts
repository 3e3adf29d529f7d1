import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpModule } from '@nestjs/axios';
import { DynamicModule } from '@nestjs/common';
import { CertificateInfo, loadCertificatesFromFiles, parseCertificate } from '../crypto';

/** What each vendor module shares: its HTTP client settings, its endpoint and its trust roots. */

export function vendorHttpModule(
  configKey: string | symbol,
  timeoutMs: (config: { timeoutMs: number }) => number,
): DynamicModule {
  return HttpModule.registerAsync({
    inject: [configKey],
    useFactory: (config: { timeoutMs: number }) => ({
      timeout: timeoutMs(config),
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 128 }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 128 }),
      maxRedirects: 0,
    }),
  });
}

export interface VendorEndpoint {
  baseUrl: string;
  /** The in-process simulator's CA roots, trusted on embedded defaults so that chain checks run there too. */
  simulatorRoots?: Buffer[];
}

export function trustedRoots(paths: string[], endpoint: VendorEndpoint): CertificateInfo[] {
  return [...loadCertificatesFromFiles(paths), ...(endpoint.simulatorRoots ?? []).map((der) => parseCertificate(der))];
}

/** The in-process simulators' endpoints by vendor name, provided from the top outside production only. */
export const EMBEDDED_ENDPOINTS = 'EMBEDDED_ENDPOINTS';
export type EmbeddedEndpoints = Partial<Record<string, VendorEndpoint>>;

/** The configured vendor, else the embedded simulator, else an address that fails loudly (the vendor is disabled). */
export function vendorEndpoint(
  name: string,
  baseUrl: string | undefined,
  embedded?: EmbeddedEndpoints,
): VendorEndpoint {
  if (baseUrl) return { baseUrl };
  return embedded?.[name] ?? { baseUrl: `http://${name}-disabled.invalid` };
}
