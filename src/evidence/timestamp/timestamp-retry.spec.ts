import { timestampRetryDelayMs, timestampStatusAfter } from './timestamp-retry';
import { failed, TIMESTAMP_FAILURES, TimestampToken } from './timestamp.types';

describe(timestampStatusAfter.name, () => {
  it('keeps a record PENDING while the TSA is down, slow or garbled, and FAILED when its answer fails a check', () => {
    expect(timestampStatusAfter({ ok: true, token: {} as TimestampToken })).toBe('GRANTED');
    const statuses = Object.fromEntries(TIMESTAMP_FAILURES.map((r) => [r, timestampStatusAfter(failed(r, 'x'))]));
    expect(statuses).toEqual({
      UNREACHABLE: 'PENDING',
      TIMEOUT: 'PENDING',
      BAD_RESPONSE: 'PENDING',
      NOT_GRANTED: 'FAILED',
      IMPRINT_MISMATCH: 'FAILED',
      NONCE_MISMATCH: 'FAILED',
      BAD_SIGNATURE: 'FAILED',
      UNTRUSTED: 'FAILED',
      NO_TIMESTAMPING_EKU: 'FAILED',
      SKEW: 'FAILED',
    });
  });
});

describe(timestampRetryDelayMs.name, () => {
  it('doubles from 5 s up to 30 min, with ±20% jitter', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4].map((n) => timestampRetryDelayMs(n, middle))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(timestampRetryDelayMs(50, middle)).toBe(1_800_000);
    expect(timestampRetryDelayMs(1, () => 0)).toBe(4_000);
    expect(timestampRetryDelayMs(1, () => 0.999999)).toBe(6_000);
  });
});
