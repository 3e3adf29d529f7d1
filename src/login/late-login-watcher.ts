import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CaProviders } from '../ca/ca-providers';
import { IntervalSweeper } from '../common/interval-sweeper';
import { vendorUserRef } from '../common/secrets/per-login-secret';
import { caConfig } from '../config';
import { AuthorizationStore } from './authorization.store';
import { CaAuthorization } from './schemas/ca-authorization.schema';

const SLOWER_THAN_A_WATCHED_LOGIN = 4;

/**
 * A login the gateway has expired may still be approved on the phone while the vendor's QR code lives: the vendor
 * would then hold an authorization the gateway never ends. Such logins are asked about every 4 × CA_POLL_INTERVAL_MS
 * until the vendor's own expiry; a late approval is refused (the login stays EXPIRED) and ended at the vendor.
 */
@Injectable()
export class LateLoginWatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LateLoginWatcher.name);
  private readonly sweeper: IntervalSweeper;

  constructor(
    private readonly store: AuthorizationStore,
    private readonly providers: CaProviders,
    @Inject(caConfig.KEY) config: ConfigType<typeof caConfig>,
  ) {
    this.sweeper = new IntervalSweeper(this.logger, SLOWER_THAN_A_WATCHED_LOGIN * config.pollIntervalMs, () =>
      this.sweep(),
    );
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  beforeApplicationShutdown(): void {
    this.sweeper.stop();
  }

  /** Each login on its own: one that fails is logged and asked again next time. */
  async sweep(): Promise<void> {
    for (const login of await this.store.lateWatched(new Date())) {
      try {
        await this.watch(login);
      } catch (error) {
        this.logger.warn({ provider: login.provider, type: (error as Error).name }, 'Late login check failed');
      }
    }
  }

  private async watch(login: CaAuthorization): Promise<void> {
    const provider = this.providers.get(login.provider);
    const leased = await this.store.leaseLate(login, SLOWER_THAN_A_WATCHED_LOGIN * provider.pollIntervalMs);
    if (!leased) return;
    const progress = await provider.pollLogin({ jobId: leased.signDataId, challenge: leased.challenge });
    if (progress.state === 'PENDING') return;
    if (progress.state !== 'FINISHED' || !progress.userId) return this.store.stopLateWatch(leased);
    await provider.endAuthorization(progress.userId);
    await this.store.stopLateWatch(leased, new Date());
    this.logger.warn(
      { provider: leased.provider, user: vendorUserRef(progress.userId) },
      'A login approved after the gateway expired it was ended at the vendor',
    );
  }
}
