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

  async result(signDataId: string): Promise<SignResultView> {
    const login = await this.logins.refresh(signDataId);
    if (login) return toView(login);
    const job = await this.signJobs.refresh(signDataId);
    if (job) return jobView(job);
    throw new NotFoundError(`No login or signing job with signDataId ${signDataId}`, { field: 'signDataId' });
  }
}

const PENDING = new Set(['UNSIGN']);

const JOB_STATUS: Record<CaExtendedData['status'], SignResultView['jobStatus']> = {
  PENDING: 'UNSIGN',
  PENDING_SCAN: 'UNSIGN',
  SIGNED: 'FINISH',
  FAILED: 'FAILED',
};

function jobView(record: StoredRecord): SignResultView {
  const failed = record.status === 'FAILED' ? record.failure : undefined;
  const jobStatus = failed?.type === 'REJECTED' || failed?.type === 'EXPIRED' ? failed.type : JOB_STATUS[record.status];
  return {
    signDataId: record.signDataId!,
    jobStatus,
    provider: record.provider,
    recordId: String(record._id),
    docId: record.docId,
    type: record.docType,
    userCode: record.userCode,
    ...(record.status === 'SIGNED' && {
      signResult: record.signResult,
      signCert: record.signCert,
      msspId: record.msspId,
    }),
    ...(failed && { failure: { type: failed.type, message: failed.message } }),
  };
}
