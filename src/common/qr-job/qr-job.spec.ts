import { QrJobLifecycle, refreshQrJob } from './qr-job';

interface Job {
  id: string;
  state: 'OPEN' | 'DONE' | 'EXPIRED' | 'FAILED';
  expiresAt: Date;
  leasedUntil: number;
}

/** A lifecycle over an in-memory job that records what it was asked to do. */
function lifecycle(job: Job | null, progress: () => Promise<string>) {
  const calls: string[] = [];
  const steps: QrJobLifecycle<Job, string> = {
    find: async (id) => (job?.id === id ? { ...job } : null),
    isOpen: (j) => j.state === 'OPEN',
    expiresAt: (j) => j.expiresAt,
    expire: async (j) => (calls.push('expire'), { ...j, state: 'EXPIRED' }),
    pollIntervalMs: () => 1000,
    lease: async (j, intervalMs) => {
      calls.push(`lease ${intervalMs}`);
      if (job!.leasedUntil > Date.now()) return null;
      job!.leasedUntil = Date.now() + intervalMs;
      return { ...j };
    },
    poll: async () => (calls.push('poll'), progress()),
    settle: async (j, answer) => (calls.push(`settle ${answer}`), { ...j, state: answer === 'ok' ? 'DONE' : j.state }),
    failed: async (_j, error) => void calls.push(`failed ${(error as Error).message}`),
  };
  return { steps, calls };
}

const open = (over: Partial<Job> = {}): Job => ({
  id: 'j1',
  state: 'OPEN',
  expiresAt: new Date(Date.now() + 60_000),
  leasedUntil: 0,
  ...over,
});

describe(refreshQrJob.name, () => {
  it('answers null for an unknown job and a settled job as it is, without asking the vendor', async () => {
    const { steps, calls } = lifecycle(open({ state: 'DONE' }), async () => 'ok');
    expect(await refreshQrJob('nope', steps)).toBeNull();
    expect(await refreshQrJob('j1', steps)).toMatchObject({ state: 'DONE' });
    expect(calls).toEqual([]);
  });

  it('expires a job past its deadline without asking the vendor', async () => {
    const { steps, calls } = lifecycle(open({ expiresAt: new Date(Date.now() - 1) }), async () => 'ok');
    expect(await refreshQrJob('j1', steps)).toMatchObject({ state: 'EXPIRED' });
    expect(calls).toEqual(['expire']);
  });

  it('asks the vendor only under the lease, at most once per interval, and settles with its answer', async () => {
    const { steps, calls } = lifecycle(open(), async () => 'ok');
    expect(await refreshQrJob('j1', steps)).toMatchObject({ state: 'DONE' });
    expect(await refreshQrJob('j1', steps)).toMatchObject({ state: 'OPEN' });
    expect(calls).toEqual(['lease 1000', 'poll', 'settle ok', 'lease 1000']);
  });

  it('reports a failed poll to the job before the error goes on', async () => {
    const { steps, calls } = lifecycle(open(), () => Promise.reject(new Error('vendor down')));
    await expect(refreshQrJob('j1', steps)).rejects.toThrow('vendor down');
    expect(calls).toEqual(['lease 1000', 'poll', 'failed vendor down']);
  });
});
