import type { FastifyReply } from 'fastify';
import {
  catchError,
  defer,
  distinctUntilChanged,
  exhaustMap,
  finalize,
  map,
  Observable,
  of,
  shareReplay,
  takeWhile,
  timer,
} from 'rxjs';
import { GatewayError } from '../errors';
import { render } from '../errors/error-envelope.filter';

export interface ServerEvent {
  type: string;
  data: unknown;
}

const HEARTBEAT_MS = 15_000;

/** Writes an event stream to a hijacked reply until it completes or the client goes away. */
export function writeEventStream(reply: FastifyReply, events: Observable<ServerEvent>): void {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': String(reply.request.id),
  });
  const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const subscription = events.subscribe({
    next: (event) => raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`),
    complete: () => raw.end(),
  });
  raw.on('close', () => {
    clearInterval(heartbeat);
    subscription.unsubscribe();
  });
}

/**
 * One shared polling stream per key in this instance, however many clients watch it (each joins with the latest event): `status` events on each change
 * of the view, `error` events for failures of a poll (the stream goes on), ending after the first final view.
 */
export class SharedPollingStreams<V> {
  private readonly streams = new Map<string, Observable<ServerEvent>>();

  constructor(
    private readonly intervalMs: number,
    private readonly poll: (key: string) => Promise<V>,
    private readonly isFinal: (view: V) => boolean,
  ) {}

  watch(key: string): Observable<ServerEvent> {
    let stream = this.streams.get(key);
    if (!stream) {
      stream = timer(0, this.intervalMs).pipe(
        exhaustMap(() =>
          defer(() => this.poll(key)).pipe(
            map((view): ServerEvent => ({ type: 'status', data: view })),
            catchError((error: unknown) => of(errorEvent(error))),
          ),
        ),
        distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
        takeWhile((event) => event.type === 'error' || !this.isFinal(event.data as V), true),
        finalize(() => this.streams.delete(key)),
        // A client that joins late gets the current state at once, not only the next change.
        shareReplay({ bufferSize: 1, refCount: true }),
      );
      this.streams.set(key, stream);
    }
    return stream;
  }
}

function errorEvent(error: unknown): ServerEvent {
  const rendered = render(error);
  const message = error instanceof GatewayError ? error.message : rendered.message;
  return { type: 'error', data: { type: rendered.error.type, message } };
}
