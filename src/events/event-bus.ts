import { Injectable, Logger } from '@nestjs/common';
import { asapScheduler, filter, observeOn, Subject, Subscription } from 'rxjs';
import type { DomainEvent, DomainEventType, EventOf } from './domain-events';

export type Listener<E> = (event: E) => void | Promise<void>;

/**
 * The one in-process bus. Listeners run after the emitting call has returned (asap scheduler), so they can neither
 * throw into it nor hold it up; their errors, thrown or rejected, are caught, logged and counted.
 */
@Injectable()
export class EventBus {
  private readonly logger = new Logger(EventBus.name);
  private readonly events = new Subject<DomainEvent>();
  private failures = 0;

  /** How many listener calls have failed since start (read by metrics). */
  get listenerFailures(): number {
    return this.failures;
  }

  emit(event: DomainEvent): void {
    this.events.next(event);
  }

  on<T extends DomainEventType>(type: T, listener: Listener<EventOf<T>>): Subscription {
    return this.events
      .pipe(
        filter((event): event is EventOf<T> => event.type === type),
        observeOn(asapScheduler),
      )
      .subscribe((event) => this.deliver(listener, event));
  }

  onAny(listener: Listener<DomainEvent>): Subscription {
    return this.events.pipe(observeOn(asapScheduler)).subscribe((event) => this.deliver(listener, event));
  }

  private deliver<E extends DomainEvent>(listener: Listener<E>, event: E): void {
    try {
      const result = listener(event);
      if (result instanceof Promise) result.catch((error: unknown) => this.failed(event, error));
    } catch (error) {
      this.failed(event, error);
    }
  }

  private failed(event: DomainEvent, error: unknown): void {
    this.failures++;
    this.logger.error({ event: event.type, error: (error as Error)?.name ?? typeof error }, 'An event listener failed');
  }
}
