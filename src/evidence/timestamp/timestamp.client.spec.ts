import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { DEFAULT_SM2_USER_ID } from '../../crypto/constants';
import { TestCertificateAuthority } from '../../crypto/test-ca';
import { sm2Sign } from '../../crypto/sm2';
import { TsaSimulator } from '../../simulators/tsa';
import { SIM_TSA_POLICY } from '../../simulators/tsa/tsa-sim.signer';
import { TimestampClient, TimestampClientOptions } from './timestamp.client';
import { verifyStoredTimestamp } from './timestamp.verifier';
import { TimestampResult } from './timestamp.types';

function failureOf(result: TimestampResult): string {
  return result.ok ? 'GRANTED' : result.failure.reason;
}

describe(TimestampClient.name, () => {
  let sim: TsaSimulator;
  const signature = sm2Sign(Buffer.from('{"id":"r1"}'), '1'.repeat(64), DEFAULT_SM2_USER_ID);

  const client = (overrides: Partial<TimestampClientOptions> = {}) =>
    sim.client('SM2', { timeoutMs: 2000, ...overrides });

  beforeAll(async () => {
    sim = await TsaSimulator.start();
  });
  afterAll(() => sim.stop());
  afterEach(() => {
    sim.faults.clear();
    sim.setClockOffset(0);
  });

  it.each([
    ['SM2', 'sm3'],
    ['SM2', 'sha256'],
    ['RSA', 'sha256'],
    ['RSA', 'sm3'],
  ] as const)('gets a checked %s token with a %s imprint', async (algorithm, hash) => {
    const before = Date.now();
    const result = await client({ url: sim.urlFor(algorithm), hash }).timestamp(signature);
    if (!result.ok) throw new Error(result.failure.message);
    const { token } = result;
    expect(token.hashAlgorithm).toBe(hash);
    expect(token.policy).toBe(SIM_TSA_POLICY);
    expect(token.tsaSubject).toBe(`CN=MNIS Simulated TSA ${algorithm}, O=MNIS Simulators`);
    expect(token.serialNumber).toMatch(/^[0-9A-F]+$/);
    expect(Math.abs(token.genTime.getTime() - before)).toBeLessThan(5000);
    expect(await verifyStoredTimestamp(token.tokenDer, { data: signature, trustedRoots: sim.trustedRoots })).toEqual({
      ok: true,
      token,
    });
  });

  it('refuses a stored token against other bytes or other roots', async () => {
    const result = await client().timestamp(signature);
    if (!result.ok) throw new Error(result.failure.message);
    const other = Buffer.from(signature);
    other[5] ^= 1;
    const elsewhere = await TestCertificateAuthority.create({ commonName: 'Other root' });
    expect(
      failureOf(await verifyStoredTimestamp(result.token.tokenDer, { data: other, trustedRoots: sim.trustedRoots })),
    ).toBe('IMPRINT_MISMATCH');
    expect(
      failureOf(
        await verifyStoredTimestamp(result.token.tokenDer, { data: signature, trustedRoots: [elsewhere.root.cert] }),
      ),
    ).toBe('UNTRUSTED');
    const garbled = Buffer.from(result.token.tokenDer);
    garbled[garbled.length - 1] ^= 1;
    expect(failureOf(await verifyStoredTimestamp(garbled, { data: signature, trustedRoots: sim.trustedRoots }))).toBe(
      'BAD_SIGNATURE',
    );
  });

  it.each([
    ['down', 'UNREACHABLE'],
    ['garbage', 'BAD_RESPONSE'],
    ['bad-signature', 'BAD_SIGNATURE'],
    ['wrong-nonce', 'NONCE_MISMATCH'],
    ['not-granted', 'NOT_GRANTED'],
  ] as const)('maps the simulator fault %s to %s, for SM2 and RSA', async (kind, reason) => {
    for (const algorithm of ['SM2', 'RSA'] as const) {
      sim.faults.add({ kind, times: 1 });
      expect(failureOf(await client({ url: sim.urlFor(algorithm) }).timestamp(signature))).toBe(reason);
    }
    expect(failureOf(await client().timestamp(signature))).toBe('GRANTED');
  });

  it('gives up on a slow TSA after TSA_TIMEOUT_MS', async () => {
    sim.faults.add({ kind: 'slow', delayMs: 3000, times: 1 });
    const started = Date.now();
    expect(failureOf(await client({ timeoutMs: 300 }).timestamp(signature))).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a genTime outside the tolerance', async () => {
    sim.setClockOffset(-600_000);
    expect(failureOf(await client({ maxSkewSeconds: 60 }).timestamp(signature))).toBe('SKEW');
    expect(failureOf(await client({ maxSkewSeconds: 900 }).timestamp(signature))).toBe('GRANTED');
  });

  it('refuses a TSA that chains to no configured root', async () => {
    const elsewhere = await TestCertificateAuthority.create({ commonName: 'Other root' });
    expect(failureOf(await client({ trustedRoots: [elsewhere.root.cert] }).timestamp(signature))).toBe('UNTRUSTED');
  });

  it('sends TSA_POLICY and refuses a token under another policy', async () => {
    expect(failureOf(await client({ policy: SIM_TSA_POLICY }).timestamp(signature))).toBe('GRANTED');
    expect(failureOf(await client({ policy: '1.2.3.4' }).timestamp(signature))).toBe('NOT_GRANTED');
  });

  it('refuses a reply over 1 MiB and a redirect as BAD_RESPONSE, without following it', async () => {
    const server: Server = createServer((req, res) => {
      if (req.url === '/big') return void res.writeHead(200).end(Buffer.alloc(2 * 1024 * 1024, 1));
      res.writeHead(302, { location: sim.urlFor('SM2') }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const big = await client({ url: `${base}/big` }).timestamp(signature);
    expect(big).toEqual({ ok: false, failure: { reason: 'BAD_RESPONSE', message: 'reply too large' } });
    const asked = sim.receivedCount;
    const moved = await client({ url: `${base}/moved` }).timestamp(signature);
    expect(moved).toEqual({ ok: false, failure: { reason: 'BAD_RESPONSE', message: 'TSA answered HTTP 302' } });
    expect(sim.receivedCount).toBe(asked);
    await new Promise((resolve) => server.close(resolve));
  });

  it('reports a closed port as UNREACHABLE and an HTTP error as BAD_RESPONSE', async () => {
    const server: Server = createServer((_req, res) => res.writeHead(503).end('busy'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    expect(failureOf(await client({ url: `http://127.0.0.1:${port}/` }).timestamp(signature))).toBe('BAD_RESPONSE');
    await new Promise((resolve) => server.close(resolve));
    expect(failureOf(await client({ url: `http://127.0.0.1:${port}/` }).timestamp(signature))).toBe('UNREACHABLE');
  });
});
