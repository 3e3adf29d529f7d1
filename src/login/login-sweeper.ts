import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { IntervalSweeper } from '../common/interval-sweeper';
import { caConfig } from '../config';
import { AuthorizationStore } from './authorization.store';
import { LoginCounterStore } from './login-counter.store';

const SWEEP_EVERY_MS = 60_000;
const HOUR_MS = 3_600_000;
const COUNTER_KEEP_MS = 2 * 60_000;

/** Removes logins that never finished after LOGIN_RETENTION_HOURS, and the per-minute counters of past minutes. */
@Injectable()
export class LoginSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LoginSweeper.name);
  private readonly sweeper = new IntervalSweeper(this.logger, SWEEP_EVERY_MS, () => this.sweepOnce(new Date()));

  constructor(
    private readonly authorizations: AuthorizationStore,
    private readonly counters: LoginCounterStore,
    @Inject(caConfig.KEY) private readonly config: ConfigType<typeof caConfig>,
  ) {}

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  async sweepOnce(now: Date): Promise<void> {
    const retention = this.config.loginRetentionHours * HOUR_MS;
    const logins = await this.authorizations.purgeUnfinished(new Date(now.getTime() - retention));
    const counters = await this.counters.sweep(new Date(now.getTime() - COUNTER_KEEP_MS));
    if (logins + counters > 0) this.logger.log({ logins, counters }, 'Swept unfinished logins and login counters');
  }
}
