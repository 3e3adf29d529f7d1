import { pkijs } from '../../crypto/pkijs-engine';
import { TIMESTAMP_QUERY } from '../../evidence/timestamp/tsp.constants';
import { TsaSimulator } from './tsa-simulator';

describe(TsaSimulator.name, () => {
  let sim: TsaSimulator;
  const json = (method: string, path: string, body?: unknown) =>
    fetch(`${sim.url}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
  const client = () => sim.client('SM2', { url: `${sim.url}/tsa`, timeoutMs: 2000 });

  beforeAll(async () => {
    sim = await TsaSimulator.start();
  });
  afterAll(() => sim.stop());

  it('takes faults over HTTP, validates them, and uses each up', async () => {
    expect((await json('POST', '/sim/faults', { kind: 'late' })).status).toBe(400);
    expect((await json('POST', '/sim/faults', { kind: 'garbage', times: 0 })).status).toBe(400);
    expect((await json('POST', '/sim/faults', { kind: 'wrong-nonce', times: 1 })).status).toBe(200);
    expect(await (await json('GET', '/sim/faults')).json()).toEqual({ faults: [{ kind: 'wrong-nonce', times: 1 }] });
    const result = await client().timestamp(Buffer.from('x'));
    expect(result.ok ? 'GRANTED' : result.failure.reason).toBe('NONCE_MISMATCH');
    expect((await client().timestamp(Buffer.from('x'))).ok).toBe(true);
    await json('POST', '/sim/faults', { kind: 'not-granted' });
    expect((await json('DELETE', '/sim/faults')).status).toBe(200);
    expect((await client().timestamp(Buffer.from('x'))).ok).toBe(true);
  });

  it('shifts its clock over HTTP', async () => {
    expect((await json('PUT', '/sim/clock', { offsetMs: 'soon' })).status).toBe(400);
    await json('PUT', '/sim/clock', { offsetMs: 3_600_000 });
    const result = await client().timestamp(Buffer.from('x'));
    expect(result.ok ? 'GRANTED' : result.failure.reason).toBe('SKEW');
    await json('PUT', '/sim/clock', { offsetMs: 0 });
  });

  it('answers a request that is no TimeStampReq with a badDataFormat rejection, and the wrong type with 415', async () => {
    const reply = await fetch(`${sim.url}/tsa/rsa`, {
      method: 'POST',
      headers: { 'content-type': TIMESTAMP_QUERY },
      body: Buffer.from('not a request'),
    });
    const response = pkijs.TimeStampResp.fromBER(Buffer.from(await reply.arrayBuffer()));
    expect(response.status.status).toBe(2);
    expect(response.status.failInfo?.valueBlock.unusedBits).toBe(2);
    const wrongType = await fetch(`${sim.url}/tsa`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(wrongType.status).toBe(415);
  });

  it('publishes its roots and counts the tokens it answered', async () => {
    const { rootsPem } = (await (await json('GET', '/sim/ca')).json()) as { rootsPem: string };
    expect(rootsPem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    const before = sim.requestCount;
    await client().timestamp(Buffer.from('y'));
    expect(sim.requestCount).toBe(before + 1);
  });

  it('counts every request it received over HTTP, dropped ones too, at GET /sim/stats', async () => {
    const stats = async () =>
      (await (await json('GET', '/sim/stats')).json()) as { received: number; answered: number };
    const before = await stats();
    await client().timestamp(Buffer.from('z'));
    sim.faults.add({ kind: 'down' });
    expect((await client().timestamp(Buffer.from('z'))).ok).toBe(false);
    expect(await stats()).toEqual({ received: before.received + 2, answered: before.answered + 1 });
    expect(sim.receivedCount).toBe(before.received + 2);
  });
});
