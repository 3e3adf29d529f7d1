import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CaProvider } from '../../ca-provider';
import type { Capability, LoginProgress, QrJob, SealImage, SignOutcome, SignRequest } from '../../ca.types';
import { SignatureVerifier } from '../../signature-verifier';
import { VendorBadResponseError, VendorJobExpiredError } from '../../../common/errors';
import { toTimeRegion } from '../../time-region';
import { caConfig } from '../../../config';
import type { CertificateInfo } from '../../../crypto';
import { COSS_TRUSTED_ROOTS } from './coss-endpoint';
import { COSS_VENDOR } from './coss.mapping';
import { CossClient } from './coss.client';

const REJECTED_STATES = new Set(['REJECT', 'REJECTED', 'REFUSE', 'REFUSED', 'CANCEL', 'CANCELED', 'CANCELLED']);

/** Beijing cloud-sign behind the CaProvider contract. */
@Injectable()
export class CossProvider extends CaProvider {
  readonly name = COSS_VENDOR;
  /** COSS signs automatically for the length of the authorization; it has no phone operations. */
  readonly capabilities: readonly Capability[] = ['qrLogin', 'autoSign'];
  readonly pollIntervalMs: number;

  constructor(
    private readonly client: CossClient,
    private readonly verifier: SignatureVerifier,
    @Inject(COSS_TRUSTED_ROOTS) readonly trustedRoots: CertificateInfo[],
    @Inject(caConfig.KEY) private readonly ca: ConfigType<typeof caConfig>,
  ) {
    super();
    this.pollIntervalMs = ca.pollIntervalMs;
  }

  async startLogin(request: { validitySeconds: number; userId?: string }): Promise<QrJob> {
    const timeRegion = toTimeRegion(request.validitySeconds, this.ca.timeRegionUnit);
    const data = await this.client.startAutoSign({ userId: request.userId ?? '', timeRegion });
    if (!data.signDataId || !data.qrCode) throw this.badResponse('startAutoSign', 'signDataId or qrCode missing');
    return {
      jobId: data.signDataId,
      qrContent: data.qrCode,
      challenge: data.data,
      expiresAt: new Date(Date.now() + this.ca.loginExpirySeconds * 1000),
    };
  }

  async pollLogin(job: Pick<QrJob, 'jobId' | 'challenge'>): Promise<LoginProgress> {
    let data;
    try {
      data = await this.client.getSignResult(job.jobId);
    } catch (error) {
      if (error instanceof VendorJobExpiredError) return { state: 'EXPIRED' };
      throw error;
    }
    const status = String(data.jobStatus ?? '').toUpperCase();
    if (status === 'UNSIGN') return { state: 'PENDING' };
    if (REJECTED_STATES.has(status)) return { state: 'REJECTED' };
    if (status !== 'FINISH') throw this.badResponse('getSignResult', `unknown jobStatus ${status}`);
    if (!data.signCert || !data.msspId) throw this.badResponse('getSignResult', 'FINISH without signCert or msspId');
    if (job.challenge) {
      if (!data.signResult) throw this.badResponse('getSignResult', 'FINISH without signResult');
      const signature = await this.verifier.require({
        format: 'SM2_DER',
        signature: data.signResult,
        certificate: data.signCert,
        signedBytes: Buffer.from(job.challenge, 'base64'),
        trustedRoots: this.trustedRoots,
      });
      return { state: 'FINISHED', userId: data.msspId, signature, certificate: signature.certificate };
    }
    // Without the signed data the signature cannot be checked; the certificate still must be valid and trusted.
    const certificate = await this.verifier.requireCertificate(data.signCert, this.trustedRoots);
    return { state: 'FINISHED', userId: data.msspId, certificate };
  }

  async fetchSealImage(userId: string): Promise<SealImage | undefined> {
    const data = await this.client.queryImage(userId);
    const image = data.image ?? data.imgBase64;
    return image ? { image: stripDataUrl(image) } : undefined;
  }

  async sign(request: SignRequest): Promise<SignOutcome> {
    const data = await this.client.autoSign({
      userId: request.userId,
      data: request.data.toString('base64'),
      title: request.title,
      dataType: 'DATA',
      algo: 'SM3withSM2',
    });
    if (!data.signResult) throw this.badResponse('autoSign', 'no signResult');
    const signature = await this.verifier.require({
      format: 'SM2_DER',
      signature: data.signResult,
      certificate: data.signCert ?? request.certificate,
      signedBytes: request.data,
      trustedRoots: this.trustedRoots,
    });
    return { kind: 'SIGNED', signature, vendorJobId: data.signDataId, appId: this.client.appId };
  }

  async endAuthorization(userId: string): Promise<void> {
    await this.client.endAutoSign(userId);
  }

  /** COSS keeps one user id per person across logins and certificate renewals. */
  identityOf(login: { userId: string }): string {
    return login.userId;
  }

  private badResponse(operation: string, why: string): VendorBadResponseError {
    return new VendorBadResponseError(`COSS ${operation}: ${why}`, { vendor: COSS_VENDOR, operation });
  }
}

function stripDataUrl(image: string): string {
  return image.replace(/^data:image\/[a-z]+;base64,/, '');
}
