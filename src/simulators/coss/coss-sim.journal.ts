import { CossOperation } from '../../ca/vendors/coss/coss.wire';

export const DEFAULT_JOURNAL_SIZE = 100;

export type JournalEntry = Record<string, unknown>;

interface Received {
  body: JournalEntry;
  /** Milliseconds since the epoch, on arrival. */
  at: number;
}

/** The last request bodies per operation, for assertions; kept in memory only and never logged. */
export class CossSimJournal {
  private readonly entries = new Map<CossOperation, Received[]>();
  private readonly totals = new Map<CossOperation, number>();

  constructor(private readonly keepPerOperation = DEFAULT_JOURNAL_SIZE) {}

  record(operation: CossOperation, body: JournalEntry, at = Date.now()): void {
    const list = this.entries.get(operation) ?? [];
    list.push({ body: structuredClone(body), at });
    if (list.length > this.keepPerOperation) list.splice(0, list.length - this.keepPerOperation);
    this.entries.set(operation, list);
    this.totals.set(operation, (this.totals.get(operation) ?? 0) + 1);
  }

  /** Oldest first. */
  requests(operation: CossOperation): JournalEntry[] {
    return (this.entries.get(operation) ?? []).map((entry) => structuredClone(entry.body));
  }

  /** Arrival times of the kept requests, in the order of `requests`. */
  receivedAt(operation: CossOperation): number[] {
    return (this.entries.get(operation) ?? []).map((entry) => entry.at);
  }

  /** Every request to the operation since the last clear, including those no longer kept. */
  total(operation: CossOperation): number {
    return this.totals.get(operation) ?? 0;
  }

  all(): Partial<Record<CossOperation, JournalEntry[]>> {
    return Object.fromEntries([...this.entries.keys()].map((operation) => [operation, this.requests(operation)]));
  }

  clear(): void {
    this.entries.clear();
    this.totals.clear();
  }
}
