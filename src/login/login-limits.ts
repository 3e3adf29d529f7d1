import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { RateLimitedError } from '../common/errors';
import { caConfig } from '../config';
import { AuthorizationStore } from './authorization.store';
import { LoginCounterStore } from './login-counter.store';

const MINUTE_MS = 60_000;

/**
 * Limits startAutoSign per client address, across every gateway instance (the counts live in MongoDB): at most
 * LOGIN_MAX_PENDING_PER_ADDRESS logins waiting for a scan, and LOGIN_RATE_LIMIT_PER_MINUTE per minute. A refused call
 * never reaches the vendor.
 */
@Injectable()
export class LoginLimits {
  constructor(
    private readonly authorizations: AuthorizationStore,
    private readonly counters: LoginCounterStore,
    @Inject(caConfig.KEY) private readonly config: ConfigType<typeof caConfig>,
  ) {}

  async admit(address: string, now = new Date()): Promise<void> {
    const maxPending = this.config.loginMaxPendingPerAddress;
    const pending = await this.authorizations.pendingExpiries(address, now, maxPending);
    if (pending.length >= maxPending) {
      throw new RateLimitedError(
        `At most ${maxPending} logins from one address may wait for a scan (LOGIN_MAX_PENDING_PER_ADDRESS)`,
        secondsUntil(pending[0], now),
      );
    }
    const minute = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS);
    const count = await this.counters.hit(address, minute);
    if (count > this.config.loginRateLimitPerMinute) {
      throw new RateLimitedError(
        `At most ${this.config.loginRateLimitPerMinute} logins per minute from one address (LOGIN_RATE_LIMIT_PER_MINUTE)`,
        secondsUntil(new Date(minute.getTime() + MINUTE_MS), now),
      );
    }
  }
}

function secondsUntil(at: Date, now: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
}
