import { CossSimulator } from './coss-simulator';
import { cossPost, loginNurse } from './coss-sim.testing';

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
});
