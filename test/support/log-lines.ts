import { Writable } from 'node:stream';

/** A log destination that keeps every line the app writes, for specs that check what a log reader would see. */
export function logLines(): { stream: Writable; text: () => string } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => lines.join('') };
}
