import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { DomainEvent } from './domain-events';
import { EventBus } from './event-bus';

const started = (signDataId: string): DomainEvent => ({
  type: 'LoginStarted',
  handleRef: '0a1b2c3d',
  at: new Date(),
  signDataId,
  provider: 'coss',
  qrExpiresAt: new Date(),
});

describe(EventBus.name, () => {
  let bus: EventBus;
  beforeEach(() => {
    bus = new EventBus();
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('delivers each event to the listeners of its type only, after emit has returned', async () => {
    const seen: string[] = [];
    bus.on('LoginStarted', (event) => void seen.push(`started ${event.signDataId}`));
    bus.on('LoginExpired', (event) => void seen.push(`expired ${event.signDataId}`));
    bus.onAny((event) => void seen.push(`any ${event.type}`));
    bus.emit(started('a'));
    expect(seen).toEqual([]);
    await sleep(0);
    expect(seen.sort()).toEqual(['any LoginStarted', 'started a']);
  });

  it('a throwing or rejecting listener never reaches the emitter; others still get the event; failures are counted', async () => {
    const seen: string[] = [];
    bus.on('LoginStarted', () => {
      throw new Error('listener bug');
    });
    bus.on('LoginStarted', () => Promise.reject(new TypeError('async listener bug')));
    bus.on('LoginStarted', (event) => void seen.push(event.signDataId));
    expect(() => bus.emit(started('a'))).not.toThrow();
    expect(() => bus.emit(started('b'))).not.toThrow();
    await sleep(10);
    expect(seen).toEqual(['a', 'b']);
    expect(bus.listenerFailures).toBe(4);
    expect(Logger.prototype.error).toHaveBeenCalledWith(
      { event: 'LoginStarted', error: 'TypeError' },
      'An event listener failed',
    );
  });

  it('a slow listener does not hold up the emitter nor the next events', async () => {
    const seen: string[] = [];
    let release!: () => void;
    bus.on('LoginStarted', () => new Promise<void>((resolve) => (release = resolve)));
    bus.on('LoginStarted', (event) => void seen.push(event.signDataId));
    const before = performance.now();
    for (let i = 0; i < 100; i++) bus.emit(started(String(i)));
    expect(performance.now() - before).toBeLessThan(50);
    await sleep(10);
    expect(seen).toHaveLength(100);
    release();
    expect(bus.listenerFailures).toBe(0);
  });
});
