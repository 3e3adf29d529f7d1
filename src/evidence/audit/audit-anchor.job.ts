import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { ANCHOR_ENTRY_TYPE, AuditEntry } from './audit-entry';
import { AuditLogStore } from './audit-log.store';
import { auditConfig } from './audit.config';
import { HeadTimestamper } from './head-timestamper';

/** Tries per round: each asks the TSA once, so a busy chain costs a few tokens, not an unbounded number. */
const ANCHOR_ATTEMPTS = 3;

/**
 * Every AUDIT_ANCHOR_INTERVAL_SECONDS, has the TSA timestamp the chain head and appends that token as an anchor entry
 * right after the head. From then on, rewriting anything before the anchor shows, even to the holder of the HMAC key:
 * the token covers the old head hash, and only the TSA can make another.
 */
@Injectable()
export class AuditAnchorJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditAnchorJob.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly store: AuditLogStore,
    @Inject(auditConfig.KEY) private readonly config: ConfigType<typeof auditConfig>,
    @Optional() private readonly timestamper?: HeadTimestamper,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.timestamper?.canStamp()) {
      this.logger.warn('Timestamps are disabled: the audit chain gets no anchors, only the HMAC key protects it');
      return;
    }
    this.timer = setInterval(() => {
      this.running ??= this.anchorNow()
        .catch((error: Error) => this.logger.warn(`Audit anchor not made this round: ${error.message}`))
        .finally(() => (this.running = undefined));
    }, this.config.anchorIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Anchors the current head; null when there is nothing new since the last anchor, or the head kept moving (other
   * appends, here or on another instance, while the TSA answered) for ANCHOR_ATTEMPTS tries: the next round tries again.
   */
  async anchorNow(): Promise<AuditEntry | null> {
    if (!this.timestamper?.canStamp()) throw new Error('No TSA is configured to stamp the chain head');
    for (let attempt = 1; attempt <= ANCHOR_ATTEMPTS; attempt++) {
      const head = await this.store.head();
      if (!head || head.type === ANCHOR_ENTRY_TYPE) return null;
      const stamp = await this.timestamper.stampHead(head.hash);
      const anchor = await this.store.appendAfter(head.seq, {
        type: ANCHOR_ENTRY_TYPE,
        outcome: 'ANCHORED',
        anchor: {
          headSeq: head.seq,
          headHash: head.hash,
          token: stamp.token.toString('base64'),
          genTime: stamp.genTime.toISOString(),
          hashAlgorithm: stamp.hashAlgorithm,
        },
      });
      if (anchor) return anchor;
    }
    return null;
  }
}
