import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpModule } from '@nestjs/axios';
import { DynamicModule, Inject, OnApplicationShutdown, Optional, Type } from '@nestjs/common';
import { CertificateInfo, loadCertificatesFromFiles, parseCertificate } from '../crypto';

/** What each vendor module shares: its HTTP client settings, its trust roots, and its in-process simulator's life. */

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

/** Stops the simulator registered under `token` (null when a real vendor is configured) when the app shuts down. */
export function simulatorShutdown(token: string): Type<OnApplicationShutdown> {
  class StopSimulator implements OnApplicationShutdown {
    constructor(@Optional() @Inject(token) private readonly simulator?: { stop(): Promise<void> } | null) {}

    async onApplicationShutdown(): Promise<void> {
      await this.simulator?.stop();
    }
  }
  return StopSimulator;
}
