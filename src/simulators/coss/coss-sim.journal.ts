import { CossOperation } from '../../ca/vendors/coss/coss.wire';

const KEEP_PER_OPERATION = 100;

export type JournalEntry = Record<string, unknown>;

/** The last request bodies per operation, for assertions; kept in memory only and never logged. */
export class CossSimJournal {
  private readonly entries = new Map<CossOperation, JournalEntry[]>();

  record(operation: CossOperation, body: JournalEntry): void {
    const list = this.entries.get(operation) ?? [];
    list.push(structuredClone(body));
    if (list.length > KEEP_PER_OPERATION) list.splice(0, list.length - KEEP_PER_OPERATION);
    this.entries.set(operation, list);
  }

  /** Oldest first. */
  requests(operation: CossOperation): JournalEntry[] {
    return (this.entries.get(operation) ?? []).map((entry) => structuredClone(entry));
  }

  all(): Partial<Record<CossOperation, JournalEntry[]>> {
    return Object.fromEntries([...this.entries.keys()].map((operation) => [operation, this.requests(operation)]));
  }

  clear(): void {
    this.entries.clear();
  }
}
