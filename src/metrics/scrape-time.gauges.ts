import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge } from 'prom-client';
import { eventStreamsOf } from '../common/http/sse';
import { EventBus } from '../events';
import { AuthorizationStore } from '../login/authorization.store';
import { OperationStore } from '../operations/operation.store';
import { SignatureRecordStore } from '../signing/signature-record.store';
import { MetricsRegistry } from './metrics.registry';

/** A scrape answers even when the database does not: a count that takes longer is left out of that scrape. */
const COUNT_TIMEOUT_MS = 2_000;

/** Families read when Prometheus scrapes, from where the truth already is (the stores, the open streams, the bus). */
@Injectable()
export class ScrapeTimeGauges {
  private readonly logger = new Logger(ScrapeTimeGauges.name);

  constructor(
    metrics: MetricsRegistry,
    bus: EventBus,
    adapterHost: HttpAdapterHost,
    private readonly authorizations: AuthorizationStore,
    private readonly records: SignatureRecordStore,
    private readonly operations: OperationStore,
  ) {
    const registers = [metrics.registry];
    const gauges = this;
    new Gauge({
      name: 'ca_pending_jobs',
      help: 'Jobs waiting on a nurse or a vendor, by kind (login, sign, operation), counted in the database at scrape time',
      labelNames: ['kind'] as const,
      registers,
      async collect() {
        this.reset();
        for (const [kind, count] of await gauges.countPending()) this.set({ kind }, count);
      },
    });
    new Gauge({
      name: 'ca_sse_watchers',
      help: 'Server-Sent Event streams open on this instance',
      registers,
      collect() {
        this.set(eventStreamsOf(adapterHost.httpAdapter.getInstance<FastifyInstance>()).size);
      },
    });
    new Counter({
      name: 'ca_event_listener_errors_total',
      help: 'Domain-event listener calls that threw or rejected (caught by the event bus) on this instance',
      registers,
      collect() {
        this.reset();
        this.inc(bus.listenerFailures);
      },
    });
  }

  private async countPending(): Promise<[string, number][]> {
    const now = new Date();
    const counts: [string, () => Promise<number>][] = [
      ['login', () => this.authorizations.countPending(now)],
      ['sign', () => this.records.countPending(now)],
      ['operation', () => this.operations.countPending(now)],
    ];
    const settled = await Promise.allSettled(counts.map(([, count]) => withTimeout(count())));
    const found: [string, number][] = [];
    settled.forEach((result, i) => {
      if (result.status === 'fulfilled') found.push([counts[i][0], result.value]);
      else this.logger.warn({ kind: counts[i][0], error: (result.reason as Error)?.name }, 'Pending jobs not counted');
    });
    return found;
  }
}

async function withTimeout(count: Promise<number>): Promise<number> {
  const abort = new AbortController();
  try {
    return await Promise.race([
      count,
      sleep(COUNT_TIMEOUT_MS, undefined, { signal: abort.signal }).then(() => {
        throw Object.assign(new Error(`count took over ${COUNT_TIMEOUT_MS} ms`), { name: 'TimeoutError' });
      }),
    ]);
  } finally {
    abort.abort();
  }
}
