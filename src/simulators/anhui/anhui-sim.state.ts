import { randomUUID } from 'node:crypto';
import { ANHUI_STATUS, AnhuiCertType, AnhuiStatus, AnhuiType } from '../../ca/vendors/anhui/anhui.wire';

export interface AnhuiSimJob {
  guid: string;
  type: AnhuiType;
  message: string;
  title: string;
  certType: AnhuiCertType;
  /** extMessage given to /initMessage, answered by /getInitMessage. */
  initExtMessage: string | null;
  status: AnhuiStatus;
  value: string | null;
  /** extMessage of the latest /saveCaMessageResult, answered by /getCaMessageResult. */
  resultExtMessage: string | null;
  /** Serial of the certificate the app announced in a seal job's extMessage ({caSerialId}); finds the seal images. */
  signerSerial?: string;
  createdAt: number;
}

export type NewJob = Pick<AnhuiSimJob, 'type' | 'message' | 'title' | 'certType' | 'initExtMessage'>;

export interface JobResult {
  status: AnhuiStatus;
  value: string | null;
  /** undefined keeps the extMessage saved before. */
  extMessage?: string | null;
}

// Jobs are kept well past their QR lifetime because a seal's second round and late result reads still need them.
const MIN_RETENTION_MS = 60 * 60 * 1000;

/** The operations created by /initMessage, in creation order. */
export class AnhuiSimJobs {
  private readonly jobs = new Map<string, AnhuiSimJob>();

  constructor(private readonly ttlMs: number) {}

  create(job: NewJob, now = Date.now()): AnhuiSimJob {
    this.sweep(now);
    const created: AnhuiSimJob = {
      ...job,
      guid: randomUUID(),
      status: ANHUI_STATUS.PENDING,
      value: null,
      resultExtMessage: null,
      createdAt: now,
    };
    this.jobs.set(created.guid, created);
    return created;
  }

  get(guid: string | undefined): AnhuiSimJob | undefined {
    return guid === undefined ? undefined : this.jobs.get(guid);
  }

  /** A QR that nobody finished within its lifetime is dead; a confirmed or cancelled one keeps its result. */
  isExpired(job: AnhuiSimJob, now = Date.now()): boolean {
    const open = job.status === ANHUI_STATUS.PENDING || job.status === ANHUI_STATUS.SCANNED;
    return open && now - job.createdAt > this.ttlMs;
  }

  save(job: AnhuiSimJob, result: JobResult): void {
    job.status = result.status;
    job.value = result.value;
    if (result.extMessage !== undefined) job.resultExtMessage = result.extMessage;
    const serial = caSerialIdOf(result.extMessage);
    if (serial) job.signerSerial = serial;
  }

  private sweep(now: number): void {
    const retention = Math.max(MIN_RETENTION_MS, this.ttlMs * 2);
    for (const [guid, job] of this.jobs) {
      if (now - job.createdAt <= retention) return;
      this.jobs.delete(guid);
    }
  }
}

function caSerialIdOf(extMessage: string | null | undefined): string | undefined {
  if (!extMessage) return undefined;
  try {
    const parsed: unknown = JSON.parse(extMessage);
    if (parsed && typeof parsed === 'object' && 'caSerialId' in parsed && typeof parsed.caSerialId === 'string') {
      return parsed.caSerialId;
    }
  } catch {
    // extMessage is free text for most operations
  }
  return undefined;
}
