import { randomUUID } from 'node:crypto';
import {
  AutoSignData,
  COSS_STATUS,
  CossEnvelopeWire,
  CossOperation,
  AutoSignRequest,
  EndAutoSignRequest,
  GetSignResultData,
  GetSignResultRequest,
  QueryImageData,
  QueryImageRequest,
  StartAutoSignData,
  StartAutoSignRequest,
} from '../../ca/vendors/coss/coss.wire';
import { sm2Sign } from '../../crypto';
import { COSS_SIM_MESSAGES, cossBadParameters, cossFailure, cossSuccess } from './coss-sim.envelope';
import { SimNurse, SimNurses } from './coss-sim.nurses';
import { CossSimState } from './coss-sim.state';

export interface CossSimOperationSettings {
  appId?: string;
  userId: string;
  /** Base URL of the simulator, for the QR content's service URL. */
  url: () => string;
}

export interface OperationAnswer {
  envelope: CossEnvelopeWire<unknown>;
  /** Whether the answer carries a signature, i.e. whether a 'wrong-signature' fault had an effect. */
  signed: boolean;
}

type Body = Record<string, unknown>;
/** A request body as received: the wire type's fields, each still to be checked. `UserId` is a spelling some clients use. */
type Untrusted<T> = { [K in keyof T]?: unknown } & { UserId?: unknown };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The vendor's five COSS v1 operations over in-memory state. */
export class CossSimOperations {
  constructor(
    private readonly state: CossSimState,
    private readonly nurses: SimNurses,
    private readonly settings: CossSimOperationSettings,
  ) {}

  handle(operation: CossOperation, body: Body, wrongSignature: boolean): OperationAnswer {
    switch (operation) {
      case 'startAutoSign':
        return unsigned(this.startAutoSign(body as Untrusted<StartAutoSignRequest>));
      case 'getSignResult':
        return this.getSignResult(body as Untrusted<GetSignResultRequest>, wrongSignature);
      case 'queryImage':
        return unsigned(this.queryImage(body as Untrusted<QueryImageRequest>));
      case 'autoSign':
        return this.autoSign(body as Untrusted<AutoSignRequest>, wrongSignature);
      case 'endAutoSign':
        return unsigned(this.endAutoSign(body as Untrusted<EndAutoSignRequest>));
    }
  }

  private startAutoSign(body: Untrusted<StartAutoSignRequest>): CossEnvelopeWire<unknown> {
    const userId = optionalString(body.userId ?? body.UserId);
    if (userId === null) return cossBadParameters('userId must be a string');
    const timeRegion = timeRegionOf(body.timeRegion);
    if (timeRegion === null) return cossBadParameters('timeRegion must be a positive number');
    const job = this.state.createJob({ timeRegion, requestedUserId: userId || undefined });
    const qrCode = JSON.stringify({
      cv: '2.0',
      id: this.settings.appId ?? optionalString(body.appId) ?? 'APP_SIM',
      o: job.signDataId,
      sUrl: `${this.settings.url()}/coss/mobile/v1/getServiceInfo`,
    });
    return cossSuccess<StartAutoSignData>({
      signDataId: job.signDataId,
      qrCode,
      data: job.challenge.toString('base64'),
    });
  }

  private getSignResult(body: Untrusted<GetSignResultRequest>, wrongSignature: boolean): OperationAnswer {
    const signDataId = body.signDataId;
    if (typeof signDataId !== 'string' || !signDataId) return unsigned(cossBadParameters('signDataId is required'));
    const job = this.state.job(signDataId);
    if (!job) return unsigned(cossBadParameters('签名任务不存在'));
    if (this.state.isExpired(job)) return unsigned(cossFailure(COSS_STATUS.JOB_EXPIRED, COSS_SIM_MESSAGES.JOB_EXPIRED));
    const nurse = job.msspId ? this.nurses.byMsspId(job.msspId) : undefined;
    if (job.status !== 'FINISH' || !job.signature || !nurse) {
      return unsigned(cossSuccess<GetSignResultData>({ signDataId, jobStatus: job.status }));
    }
    const signature = wrongSignature ? signOther(job.challenge, nurse, this.settings.userId) : job.signature;
    return {
      envelope: cossSuccess<GetSignResultData>({
        signDataId,
        jobStatus: 'FINISH',
        signResult: signature.toString('base64'),
        signCert: nurse.certificateDer.toString('base64'),
        msspId: nurse.msspId,
      }),
      signed: true,
    };
  }

  private queryImage(body: Untrusted<QueryImageRequest>): CossEnvelopeWire<unknown> {
    const userId = body.userId ?? body.UserId;
    if (typeof userId !== 'string' || !userId) return cossBadParameters('userId is required');
    const nurse = this.nurses.byMsspId(userId);
    if (!nurse) return cossFailure(COSS_STATUS.USER_INACTIVE, COSS_SIM_MESSAGES.USER_INACTIVE);
    return cossSuccess<QueryImageData>({ userId, image: nurse.sealImage });
  }

  private autoSign(body: Untrusted<AutoSignRequest>, wrongSignature: boolean): OperationAnswer {
    const userId = body.userId ?? body.UserId;
    if (typeof userId !== 'string' || !userId) return unsigned(cossBadParameters('userId is required'));
    if (typeof body.data !== 'string' || !body.data || !BASE64.test(body.data)) {
      return unsigned(cossBadParameters('data must be non-empty base64'));
    }
    if (this.settings.appId !== undefined && body.appId !== this.settings.appId) {
      return unsigned(cossBadParameters('appId is not this application'));
    }
    if (body.algo !== undefined && body.algo !== 'SM3withSM2')
      return unsigned(cossBadParameters('algo must be SM3withSM2'));
    if (body.dataType !== undefined && body.dataType !== 'DATA' && body.dataType !== 'HASH') {
      return unsigned(cossBadParameters('dataType must be DATA or HASH'));
    }
    const nurse = this.nurses.byMsspId(userId);
    if (!nurse) return unsigned(cossFailure(COSS_STATUS.USER_INACTIVE, COSS_SIM_MESSAGES.USER_INACTIVE));
    const check = this.state.checkAuthorization(userId);
    if (!check.ok) {
      const message =
        check.reason === 'ended'
          ? COSS_SIM_MESSAGES.AUTHORIZATION_ENDED
          : check.reason === 'expired'
            ? COSS_SIM_MESSAGES.AUTHORIZATION_EXPIRED
            : COSS_SIM_MESSAGES.USER_INACTIVE;
      return unsigned(cossFailure(COSS_STATUS.USER_INACTIVE, message));
    }
    // dataType HASH is signed like DATA: the simulator signs exactly the decoded bytes it was given.
    const bytes = Buffer.from(body.data, 'base64');
    const signature = wrongSignature
      ? signOther(bytes, nurse, this.settings.userId)
      : sm2Sign(bytes, nurse.privateKeyHex, this.settings.userId);
    return {
      envelope: cossSuccess<AutoSignData>({
        signDataId: `SD_${randomUUID()}`,
        signResult: signature.toString('base64'),
        signCert: nurse.certificateDer.toString('base64'),
      }),
      signed: true,
    };
  }

  private endAutoSign(body: Untrusted<EndAutoSignRequest>): CossEnvelopeWire<unknown> {
    const userId = body.userId ?? body.UserId;
    if (typeof userId !== 'string' || !userId) return cossBadParameters('userId is required');
    if (!this.nurses.byMsspId(userId)) return cossFailure(COSS_STATUS.USER_INACTIVE, COSS_SIM_MESSAGES.USER_INACTIVE);
    this.state.endAuthorization(userId);
    return cossSuccess({ userId });
  }
}

function unsigned(envelope: CossEnvelopeWire<unknown>): OperationAnswer {
  return { envelope, signed: false };
}

/** A genuine signature by the nurse's key, but over other bytes, so it fails against the real data and cert. */
function signOther(bytes: Buffer, nurse: SimNurse, userId: string): Buffer {
  return sm2Sign(Buffer.concat([bytes, Buffer.from('tampered')]), nurse.privateKeyHex, userId);
}

/** undefined when absent, null when present but not a string. */
function optionalString(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : null;
}

/** Public clients send timeRegion as a number or as a numeric string; null when it is neither. */
function timeRegionOf(value: unknown): number | undefined | null {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(parsed) && parsed > 0 ? parsed : null;
}
