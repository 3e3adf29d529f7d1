import type { AnhuiFaultKind } from './anhui-sim.faults';

/** What the journal keeps of a request: never a body, a token or a value. */
export interface AnhuiSimRequestRecord {
  operation: string;
  method: string;
  at: string;
  httpStatus: number;
  invokeCode?: number | string;
  fault?: AnhuiFaultKind;
}

export interface AnhuiSimRequestSummary {
  count: number;
  /** The most recent matching requests, oldest first (the journal keeps the last 1,000). */
  requests: AnhuiSimRequestRecord[];
}

const KEPT = 1000;

/** Scan-service requests made over HTTP; the virtual app's own calls are not in it. */
export class AnhuiSimJournal {
  private readonly counts = new Map<string, number>();
  private records: AnhuiSimRequestRecord[] = [];

  record(entry: AnhuiSimRequestRecord): void {
    this.counts.set(entry.operation, (this.counts.get(entry.operation) ?? 0) + 1);
    this.records.push(entry);
    if (this.records.length > KEPT * 2) this.records = this.records.slice(-KEPT);
  }

  summary(operation?: string): AnhuiSimRequestSummary {
    const matching = operation === undefined ? this.records : this.records.filter((r) => r.operation === operation);
    const count =
      operation === undefined
        ? [...this.counts.values()].reduce((sum, n) => sum + n, 0)
        : (this.counts.get(operation) ?? 0);
    return { count, requests: matching.slice(-KEPT) };
  }

  clear(): void {
    this.counts.clear();
    this.records = [];
  }
}
