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

  /** The first sweep runs at start-up; whatever it meets, the gateway starts. */
  async onApplicationBootstrap(): Promise<void> {
    // Another gateway starting at the same moment may still be building an index (see retryEngineRace).
    await retryEngineRace(() => this.sweep()).catch((error: Error) =>
      this.logger.warn({ type: error.name }, 'Start-up recovery sweep failed; the next sweep will retry'),
    );
    this.sweeper.start();
  }

  /** Before the database connection closes, so that no sweep runs into a closed client. */
  beforeApplicationShutdown(): void {
    this.sweeper.stop();
  }

  /** Each record on its own: one that cannot be applied is logged and skipped, and the others are still applied. */
  async sweep(): Promise<{ failed: number; applied: number; skipped: number }> {
    const failed = await this.records.failInterrupted(new Date());
    const unapplied = await this.records.listUnapplied();
    let applied = 0;
    for (const record of unapplied) {
      try {
        await this.signing.applyDocument(record);
        applied++;
      } catch (error) {
        this.logger.error(
          { recordId: String(record._id), type: (error as Error).name },
          'A signed record could not be applied to its document; skipped',
        );
      }
    }
    const result = { failed, applied, skipped: unapplied.length - applied };
    if (failed || unapplied.length) this.logger.warn(result, 'Recovered interrupted signing attempts');
    return result;
  }
}
