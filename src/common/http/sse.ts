import type { FastifyInstance, FastifyReply } from 'fastify';
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
  Subscription,
  takeWhile,
  timer,
} from 'rxjs';
import { GatewayError } from '../errors';
import { render } from '../errors/error-envelope.filter';
import { writeAccessLine } from '../logging/access-log';

export interface ServerEvent {
  type: string;
  data: unknown;
}

const HEARTBEAT_MS = 15_000;

type EndStream = (reason: string) => void;

/** The open streams of one server, so that a shutdown ends each with a final `end` event. */
export class EventStreams {
  private readonly open = new Set<EndStream>();
  private closingReason: string | undefined;

  /** Ends every open stream, and every stream that starts from now on, with `event: end` carrying the reason. */
  endAll(reason: string): number {
    this.closingReason ??= reason;
    const count = this.open.size;
    for (const end of [...this.open]) end(reason);
    return count;
  }

  get size(): number {
    return this.open.size;
  }

  /** @internal */
  track(end: EndStream): { closing?: string; release: () => void } {
    this.open.add(end);
    return { closing: this.closingReason, release: () => this.open.delete(end) };
  }
}

const EVENT_STREAMS = 'eventStreams';

/** Decorates the Fastify instance with its stream registry (before any route is registered). */
export function registerEventStreams(fastify: FastifyInstance): EventStreams {
  const streams = new EventStreams();
  fastify.decorate(EVENT_STREAMS, streams);
  return streams;
}

/** The stream registry of a server (read by the `ca_sse_watchers` gauge). */
export function eventStreamsOf(fastify: FastifyInstance): EventStreams {
  const server = fastify as unknown as Record<string, EventStreams | undefined>;
  return (server[EVENT_STREAMS] ??= new EventStreams());
}

function streamsOf(reply: FastifyReply): EventStreams {
  return eventStreamsOf(reply.server);
}

/**
 * Writes an event stream to a hijacked reply until it completes, the client goes away or the process shuts down. A
 * client that left while the first answer was being prepared gets nothing: no timer and no subscription is left behind.
 */
export function writeEventStream(reply: FastifyReply, events: Observable<ServerEvent>): void {
  reply.hijack();
  const raw = reply.raw;
  if (raw.destroyed || !raw.socket || raw.socket.destroyed) {
    raw.destroy();
    return;
  }
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': String(reply.request.id),
  });
  const write = (event: ServerEvent) => raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
  const end: EndStream = (reason) => {
    release();
    write({ type: 'end', data: { reason } });
    raw.end();
  };
  let subscription: Subscription | undefined;
  const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const tracked = streamsOf(reply).track(end);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    writeAccessLine(reply.request, 200, reply.elapsedTime, 'event stream closed');
    tracked.release();
    clearInterval(heartbeat);
    subscription?.unsubscribe();
  };
  raw.once('close', release);
  if (tracked.closing) return end(tracked.closing);
  subscription = events.subscribe({
    next: write,
    complete: () => {
      release();
      raw.end();
    },
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
