import { anhuiIdentity } from './anhui-identity';
import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CaProvider } from '../../ca-provider';
import type {
  Capability,
  JobState,
  LoginProgress,
  OperationProgress,
  PhoneOperation,
  QrJob,
  SealData,
  SealImage,
  SealOption,
  SignOutcome,
  SignProgress,
  SignRequest,
  VerifiedSignature,
} from '../../ca.types';
import { SignatureVerifier } from '../../signature-verifier';
import { VendorBadResponseError, VendorRefusedError } from '../../../common/errors';
import { caConfig } from '../../../config';
import { anhuiConfig } from './anhui.config';
import type { CertificateInfo } from '../../../crypto';
import { ANHUI_TRUSTED_ROOTS } from './anhui-endpoint';
import { ANHUI_VENDOR, AnhuiClient } from './anhui.client';
import { toSealData } from './anhui-seal-data';
import { ANHUI_STATUS, ANHUI_TYPE, AnhuiSignedValue, AnhuiType, GetCaMessageResultResponse } from './anhui.wire';

const OPERATION_TYPES: Record<PhoneOperation, AnhuiType> = {
  encrypt: ANHUI_TYPE.ENCRYPT,
  decrypt: ANHUI_TYPE.DECRYPT,
  seal: ANHUI_TYPE.SEAL,
  unseal: ANHUI_TYPE.UNSEAL,
};

/**
 * The Anhui-style mobile scan service behind the CaProvider contract. It has no automatic signing: every signature
 * is a QR job the nurse confirms on her phone, answered as PKCS#7 with the content attached.
 */
@Injectable()
export class AnhuiProvider extends CaProvider {
  readonly name = ANHUI_VENDOR;
  readonly capabilities: readonly Capability[] = [
    'qrLogin',
    'interactiveSign',
    'encrypt',
    'decrypt',
    'seal',
    'unseal',
    'sealData',
  ];
  readonly pollIntervalMs: number;

  constructor(
    private readonly client: AnhuiClient,
    private readonly verifier: SignatureVerifier,
    @Inject(ANHUI_TRUSTED_ROOTS) readonly trustedRoots: CertificateInfo[],
    @Inject(caConfig.KEY) private readonly ca: ConfigType<typeof caConfig>,
    @Inject(anhuiConfig.KEY) anhui: ConfigType<typeof anhuiConfig>,
  ) {
    super();
    this.pollIntervalMs = anhui.pollIntervalMs;
  }

  /** Starts any scan-service job as a QR job; `message` is what the phone works on. */
  private async startJob(type: AnhuiType, message: string, title: string): Promise<QrJob> {
    const guid = await this.client.initMessage({ type, message, title, certType: 0 });
    return {
      jobId: guid,
      qrContent: this.client.qrContent(guid),
      challenge: Buffer.from(message, 'utf8').toString('base64'),
      expiresAt: new Date(Date.now() + this.ca.loginExpirySeconds * 1000),
    };
  }

  startLogin(request: { title: string }): Promise<QrJob> {
    // A fresh random challenge per login, signed by the phone as PKCS#7 with the content attached.
    return this.startJob(ANHUI_TYPE.LOGIN, randomBytes(32).toString('hex'), request.title);
  }

  async pollLogin(job: Pick<QrJob, 'jobId' | 'challenge'>): Promise<LoginProgress> {
    const result = await this.result(job.jobId);
    if (result.state !== 'FINISHED') return { state: result.state };
    const value = parseSignedValue(result.answer.value, '/getCaMessageResult');
    const signature = await this.verifyPkcs7(value.signStr, Buffer.from(job.challenge ?? '', 'base64'), value.pubCert);
    return {
      state: 'FINISHED',
      userId: signature.certificate.fingerprintSm3,
      signature,
      certificate: signature.certificate,
    };
  }

  async fetchSealImage(_userId: string, certificateSerial?: string): Promise<SealImage | undefined> {
    if (!certificateSerial) return undefined;
    const seal = (await this.client.getSeal(certificateSerial)).signInfos?.[0];
    return seal?.signData ? { image: seal.signData, name: seal.signName } : undefined;
  }

  async sign(request: SignRequest): Promise<SignOutcome> {
    return {
      kind: 'PENDING_SCAN',
      job: await this.startJob(ANHUI_TYPE.SIGN, request.data.toString('utf8'), request.title),
    };
  }

  override async pollSign(job: { jobId: string; data: Buffer }): Promise<SignProgress> {
    const result = await this.result(job.jobId);
    if (result.state !== 'FINISHED') return { state: result.state };
    return { state: 'FINISHED', signature: await this.verifyPkcs7(String(result.answer.value ?? ''), job.data) };
  }

  /** The scan service keeps no session that outlives a job. */
  async endAuthorization(): Promise<void> {}

  override startOperation(operation: PhoneOperation, message: string, title: string): Promise<QrJob> {
    return this.startJob(OPERATION_TYPES[operation], message, title);
  }

  override async pollOperation(job: { jobId: string }): Promise<OperationProgress> {
    const { state, answer } = await this.result(job.jobId);
    if (state === 'FINISHED') return { state, value: answer.value ?? undefined };
    if (state === 'REJECTED') return { state, reason: rejectionReason(answer) };
    return { state };
  }

  override verifyOperationSignature(
    _operation: string,
    signature: string,
    signedBytes: Buffer,
    certificate?: string,
  ): Promise<VerifiedSignature> {
    return this.verifyPkcs7(signature, signedBytes, certificate);
  }

  override async sealOptions(jobId: string): Promise<SealOption[]> {
    return (await this.client.getSealImg(jobId)).map((seal) => ({ name: seal.signName, image: seal.img }));
  }

  override storeSealHash(jobId: string, documentHash: string): Promise<void> {
    return this.client.saveCaMessageResult(jobId, documentHash, ANHUI_STATUS.SEAL_HASH_STORED);
  }

  override async sealData(certificateSerial: string): Promise<SealData> {
    return toSealData(await this.client.getSeal(certificateSerial));
  }

  /** The state of a job, as the scan service reports it; status 2 means the app has saved its answer. */
  private async result(guid: string): Promise<{ state: JobState; answer: GetCaMessageResultResponse }> {
    let answer: GetCaMessageResultResponse;
    try {
      answer = await this.client.getCaMessageResult(guid);
    } catch (error) {
      if (error instanceof VendorRefusedError && /过期|expired/i.test(String(error.context.vendorMessage))) {
        return { state: 'EXPIRED', answer: { invokeCode: 0 } };
      }
      throw error;
    }
    const status = Number(answer.status);
    if (status === ANHUI_STATUS.CANCELLED) return { state: 'REJECTED', answer };
    if (status === ANHUI_STATUS.CONFIRMED) return { state: 'FINISHED', answer };
    return { state: 'PENDING', answer };
  }

  private verifyPkcs7(signStr: string, signedBytes: Buffer, pubCert?: string): Promise<VerifiedSignature> {
    return this.verifier.require({
      format: 'PKCS7_ATTACHED',
      signature: signStr,
      certificate: pubCert,
      signedBytes,
      trustedRoots: this.trustedRoots,
    });
  }

  identityOf(login: { certificate: CertificateInfo }): string {
    return anhuiIdentity(login.certificate);
  }
}

/** The app's own words when it gives any (e.g. 解密失败: …), except the JSON a seal's first round leaves behind. */
function rejectionReason(answer: GetCaMessageResultResponse): string {
  const said = typeof answer.extMessage === 'string' ? answer.extMessage.trim() : '';
  return said && !said.startsWith('{') ? said.slice(0, 200) : 'The nurse cancelled the operation on her phone';
}

export function parseSignedValue(value: unknown, operation: string): AnhuiSignedValue {
  try {
    const parsed = JSON.parse(String(value)) as AnhuiSignedValue;
    if (typeof parsed.signStr === 'string' && typeof parsed.pubCert === 'string') return parsed;
  } catch {
    // reported below
  }
  throw new VendorBadResponseError(`Anhui ${operation}: value is not {signStr, pubCert}`, {
    vendor: ANHUI_VENDOR,
    operation,
  });
}
