import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { tsaConfig } from './timestamp/tsa.config';

/** Running without timestamps must never go unnoticed: it is said at every start. */
@Injectable()
export class EvidenceStartupNotice implements OnApplicationBootstrap {
  private readonly logger = new Logger('Evidence');

  constructor(@Inject(tsaConfig.KEY) private readonly tsa: ConfigType<typeof tsaConfig>) {}

  onApplicationBootstrap(): void {
    if (this.tsa.disabled) {
      this.logger.warn('Trusted timestamps are disabled (TSA_DISABLED=true): new signatures get no timestamp token');
    }
  }
}
