import { CossSimulator } from './coss-simulator';
import { cossPost, loginNurse, simRequest } from './coss-sim.testing';

describe(`${CossSimulator.name} options`, () => {
  it("reads timeRegion in seconds when timeRegionUnit is 'seconds'", async () => {
    let now = Date.now();
    const sim = await CossSimulator.start({ timeRegionUnit: 'seconds', clock: () => now });
    try {
      const msspId = await loginNurse(sim, 'S001', { timeRegion: 5 });
      now += 4_000;
      expect((await cossPost(sim, 'autoSign', { userId: msspId, data: 'AAEC' })).status).toBe(200);
      now += 1_000;
      expect((await cossPost(sim, 'autoSign', { userId: msspId, data: 'AAEC' })).status).toBe(89004003);
    } finally {
      await sim.stop();
    }
  });

  it('logs operation and status only, never a body, an msspId or a signature', async () => {
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const sim = await CossSimulator.start({ log: true });
    try {
      const msspId = await loginNurse(sim, 'L001');
      const signed = await cossPost<{ signResult: string }>(sim, 'autoSign', {
        userId: msspId,
        data: 'c2VjcmV0IGRvYw==',
      });
      const logged = lines.join('');
      expect(logged).toContain('"operation":"autoSign"');
      expect(logged).toContain('"status":200');
      for (const secret of [msspId, 'c2VjcmV0IGRvYw==', signed.data?.signResult ?? 'missing'])
        expect(logged).not.toContain(secret);
    } finally {
      write.mockRestore();
      await sim.stop();
    }
  });

  it('keeps the newest journalSize requests with their arrival times, and counts every one', async () => {
    const sim = await CossSimulator.start({ journalSize: 3 });
    try {
      const before = Date.now();
      for (const signDataId of ['J1', 'J2', 'J3', 'J4', 'J5']) await cossPost(sim, 'getSignResult', { signDataId });
      const journal = await simRequest<{ requests: { signDataId: string }[]; receivedAt: number[]; total: number }>(
        sim,
        'GET',
        '/sim/requests?operation=getSignResult',
      );
      expect(journal.json.requests.map((r) => r.signDataId)).toEqual(['J3', 'J4', 'J5']);
      expect(journal.json.total).toBe(5);
      expect(journal.json.receivedAt).toHaveLength(3);
      for (const at of journal.json.receivedAt) expect(at).toBeGreaterThanOrEqual(before);
      expect([...journal.json.receivedAt].sort((a, b) => a - b)).toEqual(journal.json.receivedAt);
    } finally {
      await sim.stop();
    }
  });
});
