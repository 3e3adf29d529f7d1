import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IntervalSweeper } from '../common/interval-sweeper';
import { OperationStore } from './operation.store';

const SWEEP_EVERY_MS = 60_000;

/**
 * Operations nobody asks about again would otherwise keep an encrypt plaintext or an unread decrypted plaintext
 * forever; reads do the same work for the operations they touch.
 */
@Injectable()
export class OperationSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OperationSweeper.name);
  private readonly sweeper = new IntervalSweeper(this.logger, SWEEP_EVERY_MS, () => this.sweepOnce(new Date()));

  constructor(private readonly store: OperationStore) {}

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  private async sweepOnce(now: Date): Promise<void> {
    const { expired, purged } = await this.store.sweep(now);
    if (expired + purged > 0) this.logger.log({ expired, purged }, 'Swept CA operations');
  }
}
