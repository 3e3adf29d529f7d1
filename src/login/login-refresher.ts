import { Injectable, Logger } from '@nestjs/common';
import { CaProviders } from '../ca/ca-providers';
import type { LoginProgress } from '../ca/ca.types';
import { QrJobLifecycle, refreshQrJob } from '../common/qr-job/qr-job';
import { Enrollments } from '../enrollment/enrollments';
import { AuthorizationStore } from './authorization.store';
import { CaAuthorization } from './schemas/ca-authorization.schema';
import { toStoredCertificate } from './schemas/stored-certificate';
import { SealImages } from './seal-images.service';

/** Brings a pending login up to date through the QR-job lifecycle; a finished login also fetches the seal image. */
@Injectable()
export class LoginRefresher {
  private readonly logger = new Logger(LoginRefresher.name);
  private readonly job: QrJobLifecycle<CaAuthorization, LoginProgress> = {
    find: (signDataId) => this.store.find(signDataId),
    isOpen: (login) => login.status === 'UNSIGN',
    expiresAt: (login) => login.qrExpiresAt,
    expire: (login) => this.store.expire(login),
    pollIntervalMs: (login) => this.providers.get(login.provider).pollIntervalMs,
    lease: (login, intervalMs) => this.store.lease(login, intervalMs),
    poll: (login) =>
      this.providers.get(login.provider).pollLogin({ jobId: login.signDataId, challenge: login.challenge }),
    settle: (login, progress) => this.settle(login, progress),
  };

  constructor(
    private readonly store: AuthorizationStore,
    private readonly providers: CaProviders,
    private readonly sealImages: SealImages,
    private readonly enrollments: Enrollments,
  ) {}

  /** The login, brought up to date; null when there is no login with this signDataId. */
  refresh(signDataId: string): Promise<CaAuthorization | null> {
    return refreshQrJob(signDataId, this.job);
  }

  private async settle(login: CaAuthorization, progress: LoginProgress): Promise<CaAuthorization> {
    switch (progress.state) {
      case 'PENDING':
        return login;
      case 'REJECTED':
        return this.store.reject(login);
      case 'EXPIRED':
        return this.store.expire(login);
      case 'FINISHED': {
        const certificate = progress.certificate!;
        const identity = this.providers.get(login.provider).identityOf({ userId: progress.userId!, certificate });
        if (login.userCode && !(await this.enrollments.admit(login.provider, login.userCode, identity)).admitted) {
          return this.store.reject(login, 'IDENTITY_MISMATCH');
        }
        const finishedAt = new Date();
        const requested = finishedAt.getTime() + login.validitySeconds * 1000;
        const finished = await this.store.finish(login, {
          msspId: progress.userId!,
          identity,
          signResult: progress.signature?.signature,
          certificate: toStoredCertificate(certificate),
          finishedAt,
          authorizedUntil: new Date(Math.min(requested, certificate.notAfter.getTime())),
        });
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
}
