import { VendorBadResponseError, VendorRefusedError, VendorTimeoutError } from '../errors';
import { callVendor } from './vendor-http';

describe(callVendor.name, () => {
  const context = { vendor: 'v', operation: 'read' };
  const failing = (errors: Error[]) => {
    const calls: number[] = [];
    const once = async () => {
      calls.push(Date.now());
      const error = errors.shift();
      if (error) throw error;
      return 'ok';
    };
    return { once, calls };
  };

  it('tries a read again after a transient failure, with a growing pause', async () => {
    const { once, calls } = failing([
      new VendorTimeoutError('slow', context),
      new VendorBadResponseError('5xx', { ...context, vendorCode: 503 }),
    ]);
    await expect(callVendor(once, { context, timeoutMs: 10, retries: 2 })).resolves.toBe('ok');
    expect(calls).toHaveLength(3);
    expect(calls[1] - calls[0]).toBeGreaterThanOrEqual(95);
    expect(calls[2] - calls[1]).toBeGreaterThanOrEqual(195);
  });

  it('gives up after the retries, and never retries a write or a refusal', async () => {
    const slow = failing([1, 2, 3].map(() => new VendorTimeoutError('slow', context)));
    await expect(callVendor(slow.once, { context, timeoutMs: 10, retries: 1 })).rejects.toBeInstanceOf(
      VendorTimeoutError,
    );
    expect(slow.calls).toHaveLength(2);
    const write = failing([new VendorTimeoutError('slow', context)]);
    await expect(callVendor(write.once, { context, timeoutMs: 10, retries: 0 })).rejects.toThrow('slow');
    expect(write.calls).toHaveLength(1);
    const refused = failing([new VendorRefusedError('no', context)]);
    await expect(callVendor(refused.once, { context, timeoutMs: 10, retries: 2 })).rejects.toThrow('no');
    expect(refused.calls).toHaveLength(1);
  });

  it('types a transport failure (an unreachable vendor is a 502)', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const { once } = failing([refused, refused]);
    await expect(callVendor(once, { context, timeoutMs: 10, retries: 1 })).rejects.toMatchObject({
      type: 'VENDOR_UNAVAILABLE',
      httpStatus: 502,
    });
  });
});
