import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CaProviders } from '../ca/ca-providers';
import { fromTimeRegion } from '../ca/time-region';
import { qrImageDataUrl } from '../common/http/qr-image';
import { deriveSecret, newHandle, secretHash, TOKEN_PURPOSE } from '../common/secrets/per-login-secret';
import { caConfig } from '../config';
import { StartAutoSignDto, StartAutoSignView } from './dto/start-auto-sign.dto';
import { SignResultView } from './dto/get-sign-result.dto';
import { AuthorizationStore } from './authorization.store';
import { Authorizations } from './authorizations';
import { LoginLimits } from './login-limits';
import { CaAuthorization } from './schemas/ca-authorization.schema';

@Injectable()
export class LoginService {
  constructor(
    private readonly authorizations: AuthorizationStore,
    private readonly access: Authorizations,
    private readonly providers: CaProviders,
    private readonly limits: LoginLimits,
    @Inject(caConfig.KEY) private readonly config: ConfigType<typeof caConfig>,
  ) {}

  /** The PC gets a fresh handle as its signDataId; the QR code keeps the vendor's own job reference. */
  async start(dto: StartAutoSignDto, clientAddress: string): Promise<StartAutoSignView> {
    const provider = this.providers.get(dto.provider);
    await this.limits.admit(clientAddress);
    const timeRegion = dto.timeRegion ?? this.config.defaultTimeRegion;
    const validitySeconds = Math.min(
      fromTimeRegion(timeRegion, this.config.timeRegionUnit),
      this.config.maxAuthorizationSeconds,
    );
    const job = await provider.startLogin({
      validitySeconds,
      title: '护理文书电子签名登录',
      userId: await this.vendorUserId(dto.userId || dto.UserId),
    });
    const qrImage = await qrImageDataUrl(job.qrContent);
    const handle = newHandle();
    await this.authorizations.start({
      signDataId: job.jobId,
      handleHash: secretHash(handle),
      tokenHash: secretHash(deriveSecret(handle, TOKEN_PURPOSE)),
      provider: provider.name,
      qrCode: job.qrContent,
      challenge: job.challenge,
      userCode: dto.userCode,
      timeRegion,
      validitySeconds,
      qrExpiresAt: job.expiresAt,
      clientAddress,
    });
    return {
      signDataId: handle,
      qrCode: job.qrContent,
      qrImage,
      expiresAt: job.expiresAt.toISOString(),
      provider: provider.name,
    };
  }

  /** Logout with a live token: every open authorization of that nurse ends, here and at the vendor. */
  async end(token: string): Promise<{ userId: string; ended: number }> {
    const login = await this.access.requireLive(token, 'userId');
    const vendorUserId = login.msspId!;
    const open = await this.authorizations.openProviders(vendorUserId);
    for (const provider of new Set(open)) {
      await this.providers.get(provider).endAuthorization(vendorUserId);
    }
    return { userId: token, ended: await this.authorizations.end(vendorUserId) };
  }

  /** A PC limits a QR code to its nurse with the token of her live login; anything else goes to the vendor as given. */
  private async vendorUserId(userId: string | undefined): Promise<string | undefined> {
    if (!userId) return undefined;
    return (await this.access.live(userId))?.msspId ?? userId;
  }
}

/** What getSignResult answers the holder of `handle`: at FINISH, her per-login token as msspId. */
export function toView(login: CaAuthorization, handle: string): SignResultView {
  return {
    signDataId: handle,
    jobStatus: login.status,
    provider: login.provider,
    ...(login.status === 'FINISH' && {
      signResult: login.signResult,
      signCert: login.certificate?.der,
      msspId: deriveSecret(handle, TOKEN_PURPOSE),
      userCode: login.userCode,
      authorizedUntil: login.authorizedUntil?.toISOString(),
      authorizationEndsAt: login.authorizedUntil?.toISOString(),
    }),
    ...(login.status === 'REJECTED' && login.rejectReason && { reason: login.rejectReason }),
  };
}
