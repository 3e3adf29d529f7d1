import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { IntervalSweeper } from '../common/interval-sweeper';
import { caConfig } from '../config';
import { retryEngineRace } from '../database/engine-race';
import { SignDocService } from './sign-doc.service';
import { SignatureRecordStore } from './signature-record.store';

/**
 * Finishes what a crash left: an attempt whose lease ran out without a verified signature is marked FAILED (the
 * nurse resubmits, and the record is retaken), and a SIGNED record not yet on its document is applied. Runs at start-up
 * and then every `CA_RECOVERY_INTERVAL_MS` (a minute by default), so that another instance's crash is also cleaned up.
 */
@Injectable()
export class SignRecovery implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SignRecovery.name);
  private readonly sweeper: IntervalSweeper;

  constructor(
    private readonly records: SignatureRecordStore,
    private readonly signing: SignDocService,
    @Inject(caConfig.KEY) config: ConfigType<typeof caConfig>,
  ) {
    this.sweeper = new IntervalSweeper(this.logger, config.recoveryIntervalMs, () => this.sweep());
  }

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
