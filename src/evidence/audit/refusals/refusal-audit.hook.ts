import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AuditOutboxDrain } from '../audit-outbox.drain';
import { MINUTE_MS, RefusalKey, RefusalWindowStore, windowId } from './refusal-window.store';

/** The answers grouped: no key or an unknown one, a key without the scope or a refused login, too many requests. */
const REFUSALS = new Set([401, 403, 429]);
const PUSH_INTERVAL_MS = 1_000;
const CLOSE_EVERY_PUSHES = 5;

/**
 * Counts 401, 403 and 429 answers per (address, route template, status) and minute, so that a flood of refused
 * requests adds one audit entry per minute with its count, never one per request. Counts gather in memory and are
 * added to the shared window documents every second (one upsert per window, whatever the flood); closed minutes are
 * moved into the chain every few seconds, and at shutdown everything counted is.
 */
@Injectable()
export class RefusalAuditHook implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RefusalAuditHook.name);
  private pending = new Map<string, { key: RefusalKey; count: number }>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private pushes = 0;
  /** The clock that places a refusal in its minute; a spec may fix it. */
  now: () => Date = () => new Date();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly windows: RefusalWindowStore,
    private readonly drain: AuditOutboxDrain,
  ) {}

  onModuleInit(): void {
    this.drain.register(this.windows.auditOutbox());
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    // Only requests a route matched: a refused probe of an unknown path is a 404, not a refusal.
    fastify?.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url;
      if (REFUSALS.has(reply.statusCode) && route) this.count(request.ip, route, reply.statusCode);
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick()
        .catch((error: Error) => this.logger.warn(`Refusal counts not stored this round: ${error.message}`))
        .finally(() => (this.running = undefined));
    }, PUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /** Before the database closes: every count this instance holds goes into the chain (its drain runs here too). */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.flush(this.now(), true).catch((error: Error) =>
      this.logger.warn(`Refusal counts not stored at shutdown: ${error.message}`),
    );
  }

  /** Stores the counts held in memory, moves the closed windows (all, with `all`) into the chain, and drains them. */
  async flush(now: Date, all = false): Promise<void> {
    await this.push();
    await this.windows.closeDue(now, all);
    await this.drain.drain(this.windows.auditOutbox());
  }

  private count(address: string, route: string, status: number): void {
    const minute = new Date(Math.floor(this.now().getTime() / MINUTE_MS) * MINUTE_MS);
    this.hold({ minute, address, route, status }, 1);
  }

  private async tick(): Promise<void> {
    await this.push();
    if (++this.pushes % CLOSE_EVERY_PUSHES === 0) await this.windows.closeDue(this.now());
  }

  private async push(): Promise<void> {
    const held = [...this.pending.values()];
    this.pending = new Map();
    for (let i = 0; i < held.length; i++) {
      try {
        await this.windows.add(held[i].key, held[i].count);
      } catch (error) {
        // What was not stored is kept for the next push rather than lost.
        for (const { key, count } of held.slice(i)) this.hold(key, count);
        throw error;
      }
    }
  }

  private hold(key: RefusalKey, count: number): void {
    const id = windowId(key);
    const held = this.pending.get(id);
    if (held) held.count += count;
    else this.pending.set(id, { key, count });
  }
}
