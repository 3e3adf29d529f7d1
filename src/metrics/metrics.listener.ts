import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Subscription } from 'rxjs';
import { VendorCall, vendorCalls } from '../common/http/vendor-http';
import { EventBus } from '../events';
import { MetricsRegistry } from './metrics.registry';

/** Feeds the counters from the domain events (never from inside a store) and the vendor latency from vendor HTTP. */
@Injectable()
export class MetricsListener implements OnModuleInit, OnModuleDestroy {
  private readonly subscriptions = new Subscription();

  constructor(
    private readonly bus: EventBus,
    private readonly metrics: MetricsRegistry,
  ) {}

  private readonly onVendorCall = (message: unknown): void => {
    const call = message as VendorCall;
    this.metrics.vendorDuration.observe(
      { vendor: call.vendor, operation: call.operation, outcome: call.outcome },
      call.seconds,
    );
  };

  onModuleInit(): void {
    const { logins, signatures, timestamps, auditEntries } = this.metrics;
    this.subscriptions.add(this.bus.on('LoginFinished', (e) => logins.inc({ vendor: e.provider, outcome: 'FINISH' })));
    this.subscriptions.add(
      this.bus.on('LoginRejected', (e) => logins.inc({ vendor: e.provider, outcome: 'REJECTED' })),
    );
    this.subscriptions.add(this.bus.on('LoginExpired', (e) => logins.inc({ vendor: e.provider, outcome: 'EXPIRED' })));
    this.subscriptions.add(
      this.bus.on('RecordSigned', (e) => signatures.inc({ vendor: e.provider, status: 'SIGNED' })),
    );
    this.subscriptions.add(
      this.bus.on('RecordFailed', (e) => signatures.inc({ vendor: e.provider, status: 'FAILED' })),
    );
    this.subscriptions.add(this.bus.on('TimestampGranted', () => timestamps.inc({ outcome: 'granted' })));
    this.subscriptions.add(
      this.bus.on('TimestampFailed', (e) => timestamps.inc({ outcome: e.status === 'FAILED' ? 'failed' : 'retry' })),
    );
    this.subscriptions.add(this.bus.on('AuditEntryAppended', (e) => auditEntries.inc({ type: e.entryType })));
    vendorCalls.subscribe(this.onVendorCall);
  }

  onModuleDestroy(): void {
    this.subscriptions.unsubscribe();
    vendorCalls.unsubscribe(this.onVendorCall);
  }
}
