import { DEFAULT_SM2_USER_ID } from '../../crypto/constants';
import { sm2Sign } from '../../crypto/sm2';
import { TsaSimulator } from '../../simulators/tsa';
import { ThreadedTimestampClient } from './threaded-timestamp.client';
import { TimestampClient, TimestampClientOptions } from './timestamp.client';
import { verifyStoredTimestamp } from './timestamp.verifier';

describe(ThreadedTimestampClient.name, () => {
  let sim: TsaSimulator;
  const clients: ThreadedTimestampClient[] = [];
  const signature = sm2Sign(Buffer.from('{"id":"r1"}'), '1'.repeat(64), DEFAULT_SM2_USER_ID);

  const threaded = (overrides: Partial<TimestampClientOptions> = {}): ThreadedTimestampClient => {
    const client = new ThreadedTimestampClient(
      {
        url: sim.urlFor('SM2'),
        hash: 'sm3',
        timeoutMs: 5000,
        maxSkewSeconds: 60,
        trustedRoots: sim.trustedRoots,
        ...overrides,
      },
      1,
    );
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    sim = await TsaSimulator.start();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.onApplicationShutdown()));
    await sim.stop();
  });
  afterEach(() => {
    sim.faults.clear();
    jest.restoreAllMocks();
  });

  it('gets a checked token in a worker thread, not on the event loop', async () => {
    const onEventLoop = jest.spyOn(TimestampClient.prototype, 'timestamp');
    const client = threaded();
    const results = await Promise.all([client.timestamp(signature), client.timestamp(signature)]);
    for (const result of results) {
      if (!result.ok) throw new Error(result.failure.message);
      expect(Buffer.isBuffer(result.token.tokenDer)).toBe(true);
      // A Date made in the worker's realm, so not `instanceof` this one's.
      expect(Object.prototype.toString.call(result.token.genTime)).toBe('[object Date]');
      expect(
        await verifyStoredTimestamp(result.token.tokenDer, { data: signature, trustedRoots: sim.trustedRoots }),
      ).toEqual({ ok: true, token: result.token });
    }
    expect(onEventLoop).not.toHaveBeenCalled();
  });

  it('answers the checks of the worker as they are: a token over other roots is UNTRUSTED', async () => {
    const result = await threaded({ trustedRoots: [sim.trustedRoots[1]] }).timestamp(signature);
    expect(result).toEqual({ ok: false, failure: expect.objectContaining({ reason: 'UNTRUSTED' }) });
  });

  it('answers a retried failure, never a throw, once its threads are gone', async () => {
    const client = threaded();
    await client.onApplicationShutdown();
    expect(await client.timestamp(signature)).toEqual({
      ok: false,
      failure: { reason: 'UNREACHABLE', message: 'the timestamp worker failed' },
    });
  });
});
