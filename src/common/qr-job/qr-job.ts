/**
 * One vendor job the nurse confirms by scanning a QR code (a login, a signing job, an operation), as its store and
 * its vendor see it. Every write is the store's conditional update, so each job settles exactly once whoever races.
 */
export interface QrJobLifecycle<J, P> {
  find(id: string): Promise<J | null>;
  /** Still waiting for the nurse. */
  isOpen(job: J): boolean;
  expiresAt(job: J): Date;
  /** The conditional move to the expired state; answers the job as it then stands. */
  expire(job: J): Promise<J>;
  pollIntervalMs(job: J): number;
  /** The poll lease (see takePollLease): the job when this caller may ask the vendor now, else null. */
  lease(job: J, intervalMs: number): Promise<J | null>;
  /** Asks the vendor how the job stands. */
  poll(job: J): Promise<P>;
  /** Moves the job by what the vendor said (a pending answer leaves it as it is); answers the job as it then stands. */
  settle(job: J, progress: P): Promise<J>;
  /** Called when poll or settle threw, before the error goes on to the caller. */
  failed?(job: J, error: unknown): Promise<void>;
}

/**
 * Brings a job up to date: expired jobs are expired without asking the vendor; otherwise the vendor is asked at most
 * once per poll interval per job, whichever instance or however many PCs ask, and everyone else reads the stored state.
 * Null when no job has this id.
 */
export async function refreshQrJob<J, P>(id: string, job: QrJobLifecycle<J, P>): Promise<J | null> {
  const current = await job.find(id);
  if (!current || !job.isOpen(current)) return current;
  if (new Date() >= job.expiresAt(current)) return job.expire(current);
  const leased = await job.lease(current, job.pollIntervalMs(current));
  if (!leased) return current;
  try {
    return await job.settle(leased, await job.poll(leased));
  } catch (error) {
    await job.failed?.(leased, error);
    throw error;
  }
}
