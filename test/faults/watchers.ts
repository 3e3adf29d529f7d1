import { request } from 'node:http';

/** A PC watching a login over SSE until `signal` aborts; resolves with the number of events it received. */
export function watchSse(url: string, signal: AbortSignal): Promise<{ status: number; events: number }> {
  return new Promise((resolve, reject) => {
    let events = 0;
    let status = 0;
    let buffered = '';
    const req = request(url, { headers: { accept: 'text/event-stream' }, signal }, (res) => {
      status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const blocks = (buffered + chunk).split('\n\n');
        buffered = blocks.pop()!;
        events += blocks.filter((block) => block.startsWith('event:')).length;
      });
      res.on('end', () => resolve({ status, events }));
      res.on('error', () => resolve({ status, events }));
    });
    req.on('error', (error) => (signal.aborted ? resolve({ status, events }) : reject(error)));
    req.end();
  });
}

/** A PC polling getSignResult every `everyMs` until `signal` aborts; resolves with the status codes it got. */
export async function pollLogin(
  gateway: string,
  signDataId: string,
  everyMs: number,
  signal: AbortSignal,
): Promise<number[]> {
  const statuses: number[] = [];
  while (!signal.aborted) {
    const res = await fetch(`${gateway}/coss/service/v1/getSignResult`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ signDataId }),
    });
    const body = (await res.json()) as { data?: { jobStatus?: string } };
    statuses.push(res.status === 200 && body.data?.jobStatus === 'UNSIGN' ? 200 : res.status || -1);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return statuses;
}
