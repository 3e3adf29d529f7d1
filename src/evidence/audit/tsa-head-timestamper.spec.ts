import { TsaSimulator } from '../../simulators/tsa';
import { AuditUnverifiableError } from './audit.errors';
import { TsaHeadTimestamper } from './tsa-head-timestamper';

const HEAD = 'ab'.repeat(32);

describe(TsaHeadTimestamper.name, () => {
  let sim: TsaSimulator;
  let other: TsaSimulator;
  beforeAll(async () => ([sim, other] = await Promise.all([TsaSimulator.start(), TsaSimulator.start()])));
  afterAll(() => Promise.all([sim.stop(), other.stop()]));
  afterEach(() => sim.faults.clear());

  it('stamps the head hash through TimestampClient and checks the token against the roots', async () => {
    const stamper = new TsaHeadTimestamper(sim.client('SM2'), sim.trustedRoots);
    expect(stamper.canStamp()).toBe(true);
    const stamp = await stamper.stampHead(HEAD);
    expect(stamp.hashAlgorithm).toBe('sm3');
    expect(Math.abs(stamp.genTime.getTime() - Date.now())).toBeLessThan(60_000);
    expect(await stamper.verifyHead(stamp.token, HEAD)).toEqual({ valid: true, genTime: stamp.genTime });
    expect(await stamper.verifyHead(stamp.token, 'cd'.repeat(32))).toEqual({
      valid: false,
      reason: 'IMPRINT_MISMATCH',
    });
    const strangers = new TsaHeadTimestamper(null, other.trustedRoots);
    expect(await strangers.verifyHead(stamp.token, HEAD)).toEqual({ valid: false, reason: 'UNTRUSTED' });
  });

  it('names the reason when the TSA gives no token', async () => {
    sim.faults.add({ kind: 'down' });
    await expect(new TsaHeadTimestamper(sim.client('RSA'), sim.trustedRoots).stampHead(HEAD)).rejects.toThrow(
      /TSA gave no token for the chain head \(UNREACHABLE\)/,
    );
  });

  it('without a TSA (TSA_DISABLED) checks tokens but makes none; without roots it cannot check', async () => {
    const made = await new TsaHeadTimestamper(sim.client('SM2'), sim.trustedRoots).stampHead(HEAD);
    const checkOnly = new TsaHeadTimestamper(null, sim.trustedRoots);
    expect(checkOnly.canStamp()).toBe(false);
    await expect(checkOnly.stampHead(HEAD)).rejects.toThrow('TSA_DISABLED=true');
    expect(await checkOnly.verifyHead(made.token, HEAD)).toMatchObject({ valid: true });
    await expect(new TsaHeadTimestamper(null, []).verifyHead(Buffer.alloc(1), HEAD)).rejects.toBeInstanceOf(
      AuditUnverifiableError,
    );
  });
});
