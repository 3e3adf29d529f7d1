import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { IntervalSweeper } from '../common/interval-sweeper';
import { retryEngineRace } from '../database/engine-race';
import { SignDocService } from './sign-doc.service';
import { SignatureRecordStore } from './signature-record.store';

const SWEEP_EVERY_MS = 60_000;

/**
 * Finishes what a crash left: an attempt whose lease ran out without a verified signature is marked FAILED (the
 * nurse resubmits, and the record is retaken), and a SIGNED record not yet on its document is applied. Runs at start-up
 * and then every minute, so that another instance's crash is also cleaned up.
 */
@Injectable()
export class SignRecovery implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SignRecovery.name);
  private readonly sweeper = new IntervalSweeper(this.logger, SWEEP_EVERY_MS, () => this.sweep());

  constructor(
    private readonly records: SignatureRecordStore,
    private readonly signing: SignDocService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Another gateway starting at the same moment may still be building an index (see retryEngineRace).
    await retryEngineRace(() => this.sweep());
    this.sweeper.start();
  }

  /** Before the database connection closes, so that no sweep runs into a closed client. */
  beforeApplicationShutdown(): void {
    this.sweeper.stop();
  }

  async sweep(): Promise<{ failed: number; applied: number }> {
    const failed = await this.records.failInterrupted(new Date());
    const unapplied = await this.records.listUnapplied();
    for (const record of unapplied) await this.signing.applyDocument(record);
    const result = { failed, applied: unapplied.length };
    if (result.failed || result.applied) this.logger.warn(result, 'Recovered interrupted signing attempts');
    return result;
  }
}
