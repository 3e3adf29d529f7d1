import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CaProviders } from '../ca/ca-providers';
import { fromTimeRegion } from '../ca/time-region';
import { NotFoundError } from '../common/errors';
import { qrImageDataUrl } from '../common/http/qr-image';
import { caConfig } from '../config';
import { StartAutoSignDto, StartAutoSignView } from './dto/start-auto-sign.dto';
import { SignResultView } from './dto/get-sign-result.dto';
import { AuthorizationStore } from './authorization.store';
import { LoginLimits } from './login-limits';
import { CaAuthorization } from './schemas/ca-authorization.schema';

@Injectable()
export class LoginService {
  constructor(
    private readonly authorizations: AuthorizationStore,
    private readonly providers: CaProviders,
    private readonly limits: LoginLimits,
    @Inject(caConfig.KEY) private readonly config: ConfigType<typeof caConfig>,
  ) {}

  async start(dto: StartAutoSignDto, clientAddress: string): Promise<StartAutoSignView> {
    const provider = this.providers.get(dto.provider);
    await this.limits.admit(clientAddress);
    const timeRegion = dto.timeRegion ?? this.config.defaultTimeRegion;
    const validitySeconds = fromTimeRegion(timeRegion, this.config.timeRegionUnit);
    const job = await provider.startLogin({
      validitySeconds,
      title: '护理文书电子签名登录',
      userId: dto.userId || undefined,
    });
    const qrImage = await qrImageDataUrl(job.qrContent);
    await this.authorizations.start({
      signDataId: job.jobId,
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
      signDataId: job.jobId,
      qrCode: job.qrContent,
      qrImage,
      expiresAt: job.expiresAt.toISOString(),
      provider: provider.name,
    };
  }

  /** Ends every open authorization of the user, here and at the vendor. */
  async end(userId: string): Promise<{ userId: string; ended: number }> {
    const open = await this.authorizations.openProviders(userId);
    if (open.length === 0) throw new NotFoundError(`No open authorization for userId ${userId}`, { field: 'userId' });
    for (const provider of new Set(open)) {
      await this.providers.get(provider).endAuthorization(userId);
    }
    return { userId, ended: await this.authorizations.end(userId) };
  }
}

export function toView(login: CaAuthorization): SignResultView {
  return {
    signDataId: login.signDataId,
    jobStatus: login.status,
    provider: login.provider,
    ...(login.reason && { reason: login.reason }),
    ...(login.status === 'FINISH' && {
      signResult: login.signResult,
      signCert: login.certificate?.der,
      msspId: login.msspId,
      userCode: login.userCode,
      authorizedUntil: login.authorizedUntil?.toISOString(),
    }),
  };
}
