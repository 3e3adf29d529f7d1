import { Agent, request } from 'node:http';

export interface SequentialRun {
  /** Latency of every 2xx answer, in milliseconds (microsecond resolution), in the order sent. */
  latenciesMs: number[];
  ok: number;
  /** Non-2xx answers and transport errors. */
  errors: number;
  statusCodes: Record<string, number>;
}

/**
 * One request at a time over one keep-alive connection, for `seconds`: the unloaded latency. Timed here with
 * `performance.now()` rather than by autocannon, whose histogram keeps whole milliseconds, too coarse to compare
 * two latencies of a few milliseconds within 25 %.
 */
export async function sequential(
  url: string,
  path: string,
  nextBody: () => string,
  seconds: number,
  timeoutMs: number,
): Promise<SequentialRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const run: SequentialRun = { latenciesMs: [], ok: 0, errors: 0, statusCodes: {} };
  const until = performance.now() + seconds * 1000;
  try {
    while (performance.now() < until) {
      const body = nextBody();
      const started = performance.now();
      const status = await post(agent, `${url}${path}`, body, timeoutMs).catch(() => 0);
      const elapsed = performance.now() - started;
      run.statusCodes[status] = (run.statusCodes[status] ?? 0) + 1;
      if (status >= 200 && status < 300) {
        run.ok++;
        run.latenciesMs.push(elapsed);
      } else run.errors++;
    }
  } finally {
    agent.destroy();
  }
  return run;
}

function post(agent: Agent, url: string, body: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        timeout: timeoutMs,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', reject);
    req.end(body);
  });
}

/** The q-quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
