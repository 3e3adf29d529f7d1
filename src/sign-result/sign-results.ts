import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { NotFoundError } from '../common/errors';
import { SharedPollingStreams } from '../common/http/sse';
import { caConfig } from '../config';
import { SignResultView } from '../login/dto/get-sign-result.dto';
import { LoginRefresher } from '../login/login-refresher';
import { toView } from '../login/login.service';
import { CaExtendedData, StoredRecord } from '../signing/schemas/ca-extended-data.schema';
import { SignJobRefresher } from '../signing/sign-job-refresher';

/**
 * getSignResult answers for logins and for the document signing jobs of interactive vendors alike, so a PC follows
 * both the same way (polling or SSE) with the signDataId it was given.
 */
@Injectable()
export class SignResults {
  readonly streams: SharedPollingStreams<SignResultView>;

  constructor(
    private readonly logins: LoginRefresher,
    private readonly signJobs: SignJobRefresher,
    @Inject(caConfig.KEY) config: ConfigType<typeof caConfig>,
  ) {
    this.streams = new SharedPollingStreams(
      config.pollIntervalMs,
      (id) => this.result(id),
      (view) => !PENDING.has(view.jobStatus),
    );
  }

  /** `handle` is the signDataId the PC was given; a vendor's job id (as in the QR code) is as unknown as any string. */
  async result(handle: string): Promise<SignResultView> {
    const login = await this.logins.refresh(handle);
    if (login) return toView(login, handle);
    const job = await this.signJobs.refresh(handle);
    if (job) return jobView(job, handle);
    throw new NotFoundError('No login or signing job with this signDataId', { field: 'signDataId' });
  }
}

const PENDING = new Set(['UNSIGN']);

const JOB_STATUS: Record<CaExtendedData['status'], SignResultView['jobStatus']> = {
  PENDING: 'UNSIGN',
  PENDING_SCAN: 'UNSIGN',
  SIGNED: 'FINISH',
  FAILED: 'FAILED',
};

function jobView(record: StoredRecord, handle: string): SignResultView {
  const failed = record.status === 'FAILED' ? record.failure : undefined;
  const jobStatus = failed?.type === 'REJECTED' || failed?.type === 'EXPIRED' ? failed.type : JOB_STATUS[record.status];
  return {
    signDataId: handle,
    jobStatus,
    provider: record.provider,
    recordId: String(record._id),
    docId: record.docId,
    type: record.docType,
    userCode: record.userCode,
    ...(record.status === 'SIGNED' && {
      signResult: record.signResult,
      signCert: record.signCert,
    }),
    ...(failed && { failure: { type: failed.type, message: failed.message } }),
  };
}
