import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CrlRefresher } from './crl-refresher';

/** Loads CRL_FILES and CRL_URLS before the gateway serves, and refreshes the URLs until it stops. */
@Injectable()
export class CrlSources implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly refresher: CrlRefresher) {}

  onApplicationBootstrap(): Promise<void> {
    return this.refresher.start();
  }

  beforeApplicationShutdown(): void {
    this.refresher.stop();
  }
}
