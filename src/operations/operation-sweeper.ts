import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OperationStore } from './operation-store';

const SWEEP_EVERY_MS = 60_000;

/**
 * Operations nobody asks about again would otherwise keep an encrypt plaintext or an unread decrypted plaintext
 * forever; reads do the same work for the operations they touch.
 */
@Injectable()
export class OperationSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OperationSweeper.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly store: OperationStore) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(now = new Date()): Promise<void> {
    try {
      const { expired, purged } = await this.store.sweep(now);
      if (expired + purged > 0) this.logger.log({ expired, purged }, 'Swept CA operations');
    } catch (error) {
      this.logger.warn({ type: (error as Error).name }, 'Sweeping CA operations failed; the next sweep will retry');
    }
  }
}
