import { request } from 'node:http';

export interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads a Server-Sent Events stream until the server ends it (or the deadline passes). */
export function collectSse(
  url: string,
  deadlineMs = 15_000,
  onEvent?: (event: SseEvent) => void,
): Promise<{ status: number; events: SseEvent[] }> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const req = request(url, { headers: { accept: 'text/event-stream' } }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) {
            events.push({ event, data: JSON.parse(data) });
            onEvent?.(events[events.length - 1]);
          }
        }
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, events });
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`SSE stream did not end within ${deadlineMs} ms; got ${JSON.stringify(events)}`));
    }, deadlineMs);
    req.on('error', reject);
    req.end();
  });
}
