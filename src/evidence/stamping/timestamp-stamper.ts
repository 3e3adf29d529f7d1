import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { Types } from 'mongoose';
import { Subscription } from 'rxjs';
import { IntervalSweeper } from '../../common/interval-sweeper';
import { EventBus } from '../../events';
import { SignatureRecordStore, TimestampClaim } from '../../signing/signature-record.store';
import { TimestampClient, timestampRetryDelayMs, timestampStatusAfter } from '../timestamp';
import { timestampLeaseMs, tsaConfig } from '../timestamp/tsa.config';

/** Claims per sweep: a backlog after a long TSA outage drains over a few sweeps instead of one long one. */
const SWEEP_BATCH = 100;

/**
 * Gets every SIGNED record its timestamp token, off the signing path: at once on RecordSigned (the SIGNED update has
 * already claimed that first attempt for this instance), and by a sweep of due timestamps (retries after backoff, a
 * crash between SIGNED and the token, another instance's records). Each attempt holds a claim with a lease longer than
 * the TSA timeout, so one instance at a time asks the TSA for a record.
 */
@Injectable()
export class TimestampStamper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TimestampStamper.name);
  private readonly sweeper: IntervalSweeper;
  private readonly leaseMs: number;
  private readonly inFlight = new Set<Promise<unknown>>();
  private subscription?: Subscription;
  private stopped = false;

  constructor(
    private readonly records: SignatureRecordStore,
    private readonly events: EventBus,
    @Inject(tsaConfig.KEY) config: ConfigType<typeof tsaConfig>,
    @Optional() @Inject(TimestampClient) private readonly client: TimestampClient | null,
  ) {
    this.leaseMs = timestampLeaseMs(config);
    this.sweeper = new IntervalSweeper(this.logger, config.sweepIntervalMs, () => this.track(this.sweep()));
  }

  onApplicationBootstrap(): void {
    if (!this.client) return;
    this.subscription = this.events.on('RecordSigned', (event) => {
      if (event.timestampClaim) this.track(this.stampClaimed(event.recordId, event.timestampClaim));
    });
    this.sweeper.start();
  }

  /** Before the database connection closes: no new claims, and the attempts under way settle first. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    this.sweeper.stop();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Stamps due timestamps until none is left (or a batch is done); answers how many were attempted. */
  async sweep(): Promise<number> {
    let attempted = 0;
    while (!this.stopped && attempted < SWEEP_BATCH) {
      const claim = await this.records.claimTimestamp(new Date(), this.leaseMs);
      if (!claim) break;
      await this.stamp(claim.record, claim.claimId);
      attempted++;
    }
    return attempted;
  }

  /** The first attempt, claimed by the SIGNED update itself. */
  private async stampClaimed(recordId: string, claim: { claimId: string; signResult: string }): Promise<void> {
    if (this.stopped) return;
    const record: TimestampClaim = { _id: new Types.ObjectId(recordId), signResult: claim.signResult };
    await this.stamp(record, claim.claimId);
  }

  private async stamp(record: TimestampClaim, claimId: string): Promise<void> {
    const result = await this.client!.timestamp(Buffer.from(record.signResult ?? '', 'base64'));
    if (result.ok) {
      await this.records.markTimestamped(record._id, claimId, result.token);
      return;
    }
    const status = timestampStatusAfter(result) === 'FAILED' ? 'FAILED' : 'PENDING';
    const attempts = (record.timestamp?.attempts ?? 0) + 1;
    const next = new Date(Date.now() + timestampRetryDelayMs(attempts));
    await this.records.markTimestampFailed(record._id, claimId, status, result.failure, next);
    this.logger.warn(
      { recordId: String(record._id), reason: result.failure.reason, status, attempts },
      'Timestamp not obtained; retrying later',
    );
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }
}
