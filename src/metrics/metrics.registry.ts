import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The gateway's metric families, in a registry of their own per application (the specs run several apps in one
 * process, and prom-client's global registry refuses a second family of the same name).
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  /** `route` is the route template (`/windranger/doc/:type/:id`), `unmatched` for a path no route matches. */
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to response of the gateway API, by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** One observation per HTTP exchange with a vendor (each retry is one); `outcome` is OK or the typed error. */
  readonly vendorDuration = new Histogram({
    name: 'ca_vendor_request_duration_seconds',
    help: 'Time of one HTTP exchange with a CA vendor, by vendor, operation and outcome (OK or the error type)',
    labelNames: ['vendor', 'operation', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly logins = new Counter({
    name: 'ca_logins_total',
    help: 'QR logins settled, by vendor and outcome (FINISH, REJECTED, EXPIRED)',
    labelNames: ['vendor', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly signatures = new Counter({
    name: 'ca_signatures_total',
    help: 'Signature records settled, by vendor and status (SIGNED, FAILED)',
    labelNames: ['vendor', 'status'] as const,
    registers: [this.registry],
  });

  /** One per settled timestamp request of a signature: granted, retry (TSA down, slow, garbage) or failed (checks). */
  readonly timestamps = new Counter({
    name: 'ca_timestamps_total',
    help: 'Timestamp requests for signatures settled, by outcome (granted, retry, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** `type` is the entry's type, a name from the code (RecordSigned, RequestsRefused, AUDIT_ANCHOR, …). */
  readonly auditEntries = new Counter({
    name: 'ca_audit_entries_total',
    help: 'Audit-chain entries appended by this instance, by entry type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
