import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { firstValueFrom } from 'rxjs';
import { CaProvider } from '../../../src/ca/ca-provider';
import type { Capability, LoginProgress, QrJob, SealImage, SignOutcome, SignRequest } from '../../../src/ca/ca.types';
import { SignatureVerifier } from '../../../src/ca/signature-verifier';
import { SEED_COSS_APP_ID } from '../../../src/ca/vendors/coss/coss.config';
import { unwrapCossEnvelope } from '../../../src/ca/vendors/coss/coss.mapping';
import {
  AutoSignData,
  COSS_PATH_PREFIX,
  CossOperation,
  GetSignResultData,
  QueryImageData,
  StartAutoSignData,
} from '../../../src/ca/vendors/coss/coss.wire';
import { callVendor } from '../../../src/common/http/vendor-http';
import type { CertificateInfo } from '../../../src/crypto';
import { RELAY_VENDOR, relayConfig } from './relay.config';

/** A test-only vendor: a relay that speaks COSS v1 to a COSS server, to prove that a vendor is one folder. */
@Injectable()
export class RelayProvider extends CaProvider {
  readonly name = RELAY_VENDOR;
  readonly capabilities: readonly Capability[] = ['qrLogin', 'autoSign'];
  readonly pollIntervalMs = 100;
  readonly trustedRoots: CertificateInfo[] = [];

  constructor(
    private readonly http: HttpService,
    private readonly verifier: SignatureVerifier,
    @Inject(relayConfig.KEY) private readonly config: ConfigType<typeof relayConfig>,
  ) {
    super();
  }

  async startLogin(request: { validitySeconds: number }): Promise<QrJob> {
    const timeRegion = Math.max(1, Math.round(request.validitySeconds / 60));
    const data = await this.call<StartAutoSignData>('startAutoSign', { userId: '', timeRegion });
    return {
      jobId: data.signDataId,
      qrContent: data.qrCode,
      challenge: data.data,
      expiresAt: new Date(Date.now() + 300_000),
    };
  }

  async pollLogin(job: Pick<QrJob, 'jobId' | 'challenge'>): Promise<LoginProgress> {
    const data = await this.call<GetSignResultData>('getSignResult', { signDataId: job.jobId });
    if (data.jobStatus === 'UNSIGN') return { state: 'PENDING' };
    if (data.jobStatus !== 'FINISH') return { state: 'REJECTED' };
    const signature = await this.verifier.require({
      format: 'SM2_DER',
      signature: data.signResult ?? '',
      certificate: data.signCert,
      signedBytes: Buffer.from(job.challenge ?? '', 'base64'),
      trustedRoots: this.trustedRoots,
    });
    return { state: 'FINISHED', userId: data.msspId, signature, certificate: signature.certificate };
  }

  async fetchSealImage(userId: string): Promise<SealImage | undefined> {
    const data = await this.call<QueryImageData>('queryImage', { userId });
    const image = data.image ?? data.imgBase64;
    return image ? { image: image.replace(/^data:image\/[a-z]+;base64,/, '') } : undefined;
  }

  async sign(request: SignRequest): Promise<SignOutcome> {
    const data = await this.call<AutoSignData>('autoSign', {
      userId: request.userId,
      data: request.data.toString('base64'),
      appId: SEED_COSS_APP_ID,
      dataType: 'DATA',
      algo: 'SM3withSM2',
    });
    const signature = await this.verifier.require({
      format: 'SM2_DER',
      signature: data.signResult,
      certificate: data.signCert ?? request.certificate,
      signedBytes: request.data,
      trustedRoots: this.trustedRoots,
    });
    return { kind: 'SIGNED', signature, vendorJobId: data.signDataId, appId: SEED_COSS_APP_ID };
  }

  async endAuthorization(userId: string): Promise<void> {
    await this.call('endAutoSign', { userId });
  }

  /** As COSS: one user id per person. */
  identityOf(login: { userId: string }): string {
    return login.userId;
  }

  private call<T>(operation: CossOperation, body: object): Promise<T> {
    return callVendor(
      async () => {
        const url = `${this.config.baseUrl}${COSS_PATH_PREFIX}/${operation}`;
        const response = await firstValueFrom(this.http.post<unknown>(url, body));
        return unwrapCossEnvelope<T>(operation, response.data);
      },
      { context: { vendor: RELAY_VENDOR, operation }, timeoutMs: this.config.timeoutMs, retries: 0 },
    );
  }
}
