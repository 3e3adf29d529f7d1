// autocannon 9 ships no types: the part of its programmatic API that the benches use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: LoadOptions) => Promise<AutocannonResult> & { stop(): void };

export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface LoadOptions {
  url: string;
  connections: number;
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  overallRate?: number;
  excludeErrorStats?: boolean;
  timeout?: number;
  requests?: { method?: string; path?: string; setupRequest?: (request: RawRequest) => RawRequest }[];
}

interface Histogram {
  average: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  total: number;
}

export interface AutocannonResult {
  duration: number;
  requests: Histogram & { sent: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
}

export interface Measured {
  scenario: string;
  /** Successful (2xx) answers per second over the measured duration. */
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  ok: number;
  /** Non-2xx answers and connection errors (timeouts included). */
  errors: number;
  /** 2xx answers during the warm-up, which also did real work (signatures) that the database holds. */
  warmupOk: number;
  statusCodes: Record<string, number>;
  durationS: number;
  connections: number;
  overallRate?: number;
}

/** One warm-up run (results dropped), then the measured run. */
export async function measure(scenario: string, options: LoadOptions, warmupS: number): Promise<Measured> {
  const warmup = warmupS > 0 ? await autocannon({ ...options, duration: warmupS }) : undefined;
  // Latency percentiles over successful answers only: errors are counted apart and often answer faster.
  const r = await autocannon({ ...options, excludeErrorStats: true });
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
  return {
    scenario,
    reqPerSec: r['2xx'] / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    ok: r['2xx'],
    errors: r.non2xx + r.errors,
    warmupOk: warmup?.['2xx'] ?? 0,
    statusCodes,
    durationS: r.duration,
    connections: options.connections,
    overallRate: options.overallRate,
  };
}
