import { Injectable, Logger } from '@nestjs/common';
import { CaProviders } from '../ca/ca-providers';
import type { LoginProgress } from '../ca/ca.types';
import { QrJobLifecycle, refreshQrJob } from '../common/qr-job/qr-job';
import { secretHash, vendorUserRef } from '../common/secrets/per-login-secret';
import { CertRevokedError } from '../evidence/crl/crl.errors';
import type { RevocationRef } from '../evidence/crl/revocation-ref.schema';
import { Revocation } from '../evidence/crl/revocation.service';
import { Enrollments } from '../enrollment/enrollments';
import { AuthorizationStore } from './authorization.store';
import { CaAuthorization } from './schemas/ca-authorization.schema';
import { toStoredCertificate } from './schemas/stored-certificate';
import { SealImages } from './seal-images.service';

/** How long a login the gateway expired is still watched at the vendor, at most (its own expiry usually ends it first). */
export const LATE_WATCH_MS = 30 * 60_000;

/** Brings a pending login up to date through the QR-job lifecycle; a finished login also fetches the seal image. */
@Injectable()
export class LoginRefresher {
  private readonly logger = new Logger(LoginRefresher.name);
  private readonly job: QrJobLifecycle<CaAuthorization, LoginProgress> = {
    find: (handleHash) => this.store.findByHandle(handleHash),
    isOpen: (login) => login.status === 'UNSIGN',
    expiresAt: (login) => login.qrExpiresAt,
    // The vendor's QR code may outlive ours: LateLoginWatcher keeps asking, so that a late approval is ended there.
    expire: (login) => this.store.expire(login, new Date(Date.now() + LATE_WATCH_MS)),
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
    private readonly revocation: Revocation,
    private readonly enrollments: Enrollments,
  ) {}

  /** The login of this handle, brought up to date; null for any other id (a vendor's job id among them). */
  refresh(handle: string): Promise<CaAuthorization | null> {
    return refreshQrJob(secretHash(handle), this.job);
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
        let revocation: RevocationRef | undefined;
        try {
          // CRL_STALE under `refuse` goes to the caller as 503 and leaves the login UNSIGN, to finish once a CRL is fresh.
          revocation = await this.revocation.require(certificate);
        } catch (error) {
          if (!(error instanceof CertRevokedError)) throw error;
          return this.refuseRevoked(login, progress.userId!);
        }
        // Only a certificate that is not revoked may enroll (first use) or be compared with an enrollment.
        const identity = this.providers.get(login.provider).identityOf({ userId: progress.userId!, certificate });
        if (login.userCode && !(await this.admits(login, login.userCode, identity))) {
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
          ...(revocation && { revocation }),
        });
        await this.sealImages
          .fetchIfMissing(login.provider, progress.userId!, certificate.serialNumber)
          .catch((error: Error) => {
            this.logger.warn(
              { provider: login.provider, user: vendorUserRef(progress.userId!), type: error.name },
              'Seal image not fetched at login; queryImage will retry',
            );
          });
        return finished;
      }
    }
  }

  /** The vendor holds an authorization the gateway refuses: REJECTED here (CERT_REVOKED), and ended at the vendor. */
  private async refuseRevoked(login: CaAuthorization, vendorUserId: string): Promise<CaAuthorization> {
    const rejected = await this.store.reject(login, 'CERT_REVOKED');
    this.logger.warn(
      { provider: login.provider, user: vendorUserRef(vendorUserId) },
      'Login refused: certificate revoked',
    );
    await this.providers
      .get(login.provider)
      .endAuthorization(vendorUserId)
      .catch((error: Error) =>
        this.logger.warn({ provider: login.provider, type: error.name }, 'Could not end a refused login at the vendor'),
      );
    return rejected;
  }

  private async admits(login: CaAuthorization, userCode: string, identity: string): Promise<boolean> {
    const actor = { handleRef: login.handleHash.slice(0, 8) };
    return (await this.enrollments.admit(login.provider, userCode, identity, actor)).admitted;
  }
}
