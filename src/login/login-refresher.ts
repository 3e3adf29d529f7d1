import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { CaProviders } from '../ca/ca-providers';
import type { LoginProgress } from '../ca/ca.types';
import { takePollLease } from '../common/db/poll-lease';
import { CaAuthorization } from './schemas/ca-authorization.schema';
import { toStoredCertificate } from './schemas/stored-certificate';
import { SealImages } from './seal-images.service';

/**
 * Brings a pending login up to date. The vendor is asked at most once per poll interval per login, whichever gateway
 * instance or however many PCs ask: an atomic lease (`nextPollAt`) in MongoDB decides who polls; the others read.
 */
@Injectable()
export class LoginRefresher {
  private readonly logger = new Logger(LoginRefresher.name);

  constructor(
    @InjectModel(CaAuthorization.name) private readonly authorizations: Model<CaAuthorization>,
    private readonly providers: CaProviders,
    private readonly sealImages: SealImages,
  ) {}

  /** The login, brought up to date; null when there is no login with this signDataId. */
  async refresh(signDataId: string): Promise<CaAuthorization | null> {
    const current = await this.authorizations.findOne({ signDataId }).lean();
    if (!current) return null;
    if (current.status !== 'UNSIGN') return current;
    const now = new Date();
    if (now >= current.qrExpiresAt) return this.settle(signDataId, { status: 'EXPIRED' }, current);
    const provider = this.providers.get(current.provider);
    const leased = await takePollLease(
      this.authorizations,
      { signDataId, status: 'UNSIGN' },
      provider.pollIntervalMs,
      current,
    );
    if (!leased) return current;
    const progress = await provider.pollLogin({ jobId: signDataId, challenge: leased.challenge });
    return this.apply(leased, progress);
  }

  private async apply(login: CaAuthorization, progress: LoginProgress): Promise<CaAuthorization> {
    switch (progress.state) {
      case 'PENDING':
        return login;
      case 'REJECTED':
      case 'EXPIRED':
        return this.settle(login.signDataId, { status: progress.state }, login);
      case 'FINISHED': {
        const certificate = progress.certificate!;
        const finishedAt = new Date();
        const requested = finishedAt.getTime() + login.validitySeconds * 1000;
        const authorizedUntil = new Date(Math.min(requested, certificate.notAfter.getTime()));
        const finished = await this.settle(
          login.signDataId,
          {
            status: 'FINISH',
            msspId: progress.userId,
            signResult: progress.signature?.signature,
            certificate: toStoredCertificate(certificate),
            finishedAt,
            authorizedUntil,
          },
          login,
        );
        await this.sealImages
          .fetchIfMissing(login.provider, progress.userId!, certificate.serialNumber)
          .catch((error: Error) => {
            this.logger.warn(
              { provider: login.provider, type: error.name },
              'Seal image not fetched at login; queryImage will retry',
            );
          });
        return finished;
      }
    }
  }

  /** Moves a pending login to its final state once; a concurrent settle by another instance wins harmlessly. */
  private async settle(
    signDataId: string,
    set: Partial<CaAuthorization>,
    fallback: CaAuthorization,
  ): Promise<CaAuthorization> {
    const settled = await this.authorizations
      .findOneAndUpdate({ signDataId, status: 'UNSIGN' }, { $set: set }, { new: true })
      .lean();
    return settled ?? (await this.authorizations.findOne({ signDataId }).lean()) ?? fallback;
  }
}
