import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { CaExtendedData } from './schemas/ca-extended-data.schema';
import { SignDocService } from './sign-doc.service';

const SWEEP_EVERY_MS = 60_000;

/**
 * Finishes what a crash left: an attempt whose lease ran out without a verified signature is marked FAILED (the
 * nurse resubmits, and the record is retaken), and a SIGNED record not yet on its document is applied. Runs at start-up
 * and then every minute, so that another instance's crash is also cleaned up.
 */
@Injectable()
export class SignRecovery implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SignRecovery.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectModel(CaExtendedData.name) private readonly records: Model<CaExtendedData>,
    private readonly signing: SignDocService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
    this.timer = setInterval(
      () => void this.sweep().catch((error: Error) => this.logger.error({ err: error }, 'Recovery sweep failed')),
      SWEEP_EVERY_MS,
    );
    this.timer.unref();
  }

  /** Before the database connection closes, so that no sweep runs into a closed client. */
  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<{ failed: number; applied: number }> {
    const now = new Date();
    const interrupted = await this.records.updateMany(
      { status: { $in: ['PENDING', 'PENDING_SCAN'] }, leaseUntil: { $lt: now } },
      {
        $set: {
          status: 'FAILED',
          failure: {
            type: 'INTERRUPTED',
            message: 'The signing attempt ended without a verified signature (crash, restart or expiry); submit again',
          },
        },
      },
    );
    const unapplied = await this.records
      .find({ status: 'SIGNED', documentApplied: false })
      .lean<(CaExtendedData & { _id: Types.ObjectId })[]>();
    for (const record of unapplied) await this.signing.applyDocument(record);
    const result = { failed: interrupted.modifiedCount, applied: unapplied.length };
    if (result.failed || result.applied) this.logger.warn(result, 'Recovered interrupted signing attempts');
    return result;
  }
}
