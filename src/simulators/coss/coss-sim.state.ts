import { randomBytes, randomUUID } from 'node:crypto';

export type SimJobStatus = 'UNSIGN' | 'FINISH' | 'REJECT';

export interface SimSignJob {
  signDataId: string;
  /** The bytes the phone signs at login. */
  challenge: Buffer;
  createdAt: number;
  /** Authorization length asked for, in the simulator's timeRegion unit. */
  timeRegion?: number;
  /** When startAutoSign named a user, only that user's phone may answer. */
  requestedUserId?: string;
  status: SimJobStatus;
  msspId?: string;
  signature?: Buffer;
}

export interface SimAuthorization {
  msspId: string;
  expiresAt: number;
  ended: boolean;
}

export type AuthorizationCheck =
  { ok: true; authorization: SimAuthorization } | { ok: false; reason: 'none' | 'ended' | 'expired' };

/** Finished and abandoned jobs are dropped after this, so a long-running simulator does not grow without bound. */
const JOB_RETENTION_MS = 3_600_000;

/** In-memory QR login jobs and auto-sign authorizations. */
export class CossSimState {
  private readonly jobs = new Map<string, SimSignJob>();
  private readonly authorizations = new Map<string, SimAuthorization>();

  constructor(
    private readonly jobTtlMs: number,
    private readonly clock: () => number,
  ) {}

  createJob(input: { timeRegion?: number; requestedUserId?: string }): SimSignJob {
    this.prune();
    const job: SimSignJob = {
      signDataId: `SD_${randomUUID()}`,
      challenge: randomBytes(32),
      createdAt: this.clock(),
      status: 'UNSIGN',
      ...input,
    };
    this.jobs.set(job.signDataId, job);
    return job;
  }

  job(signDataId: string): SimSignJob | undefined {
    return this.jobs.get(signDataId);
  }

  /** Only a job nobody answered expires; a finished one stays readable. */
  isExpired(job: SimSignJob): boolean {
    return job.status === 'UNSIGN' && this.clock() - job.createdAt > this.jobTtlMs;
  }

  openAuthorization(msspId: string, durationMs: number): SimAuthorization {
    const authorization = { msspId, expiresAt: this.clock() + durationMs, ended: false };
    this.authorizations.set(msspId, authorization);
    return authorization;
  }

  checkAuthorization(msspId: string): AuthorizationCheck {
    const authorization = this.authorizations.get(msspId);
    if (!authorization) return { ok: false, reason: 'none' };
    if (authorization.ended) return { ok: false, reason: 'ended' };
    if (this.clock() >= authorization.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, authorization };
  }

  endAuthorization(msspId: string): void {
    const authorization = this.authorizations.get(msspId);
    if (authorization) authorization.ended = true;
  }

  private prune(): void {
    const cutoff = this.clock() - Math.max(JOB_RETENTION_MS, this.jobTtlMs * 2);
    for (const [id, job] of this.jobs) {
      if (job.createdAt < cutoff) this.jobs.delete(id);
    }
  }
}
