import { ANCHOR_ENTRY_TYPE, AuditAnchor, chainHash, entryBody, GENESIS_HASH, macMatches } from './audit-entry';
import { AuditUnverifiableError } from './audit.errors';
import type { HeadTimestamper } from './head-timestamper';

export type BreakReason = 'EDITED' | 'MISSING' | 'INSERTED' | 'REORDERED' | 'ANCHOR_MISMATCH';

export interface ChainReport {
  valid: boolean;
  entries: number;
  anchors: number;
  firstBroken: { seq: number; reason: BreakReason } | null;
  /** False when no key was given: the hashes and anchors were checked, the macs were not. */
  macsChecked: boolean;
}

export interface VerifyOptions {
  /** Key id to key; without keys only the hashes, links and anchors are checked (what an auditor without keys can do). */
  keys?: Map<string, Buffer>;
  /** Checks anchor tokens; required once the range holds an anchor. */
  timestamps?: Pick<HeadTimestamper, 'verifyHead'>;
  fromSeq?: number;
  /** When given, entries missing at the end of the range (up to toSeq) are reported too. */
  toSeq?: number;
  /** The entry before fromSeq, whose hash the first entry must follow; null when it cannot be read. */
  base?: { seq: number; hash: string } | null;
}

type Stored = Record<string, unknown> & { seq: number; hash: string; prevHash: string; keyId?: string; mac?: string };

/** How far from its own seq a moved entry is looked for, to tell a swap from an edit. */
const REORDER_WINDOW = 1000;

/**
 * Walks entries in seq order and names the first that breaks the chain:
 * - MISSING: a seq is absent (deleted, or cut from the end of the range up to toSeq);
 * - INSERTED: a second entry with the same seq, one out of sequence, or a well-formed entry whose mac no key made;
 * - REORDERED: an entry intact except that it now sits at another seq;
 * - EDITED: an entry whose content no longer gives its hash, whose mac fails while the next does not follow it, or
 *   (without keys) whose recomputed hash the next entry does not follow;
 * - ANCHOR_MISMATCH: an anchor whose TSA token does not cover the hash of the entry before it.
 */
export async function verifyChain(entries: AsyncIterable<Record<string, unknown>>, options: VerifyOptions = {}) {
  const report: ChainReport = {
    valid: true,
    entries: 0,
    anchors: 0,
    firstBroken: null,
    macsChecked: Boolean(options.keys?.size),
  };
  const fromSeq = Math.max(1, options.fromSeq ?? 1);
  let previous: { seq: number; hash: string } | null =
    fromSeq === 1 ? { seq: 0, hash: GENESIS_HASH } : (options.base ?? null);
  let expected = fromSeq;
  const broken = (seq: number, reason: BreakReason) => {
    if (!report.firstBroken) report.firstBroken = { seq, reason };
  };

  const iterator = entries[Symbol.asyncIterator]();
  let next = await iterator.next();
  while (!next.done) {
    const entry = next.value as Stored;
    next = await iterator.next();
    const following = next.done ? null : (next.value as Stored);
    report.entries++;
    if (entry.type === ANCHOR_ENTRY_TYPE) report.anchors++;
    if (report.firstBroken) continue;

    const reason = await check(entry, following, previous, expected, options);
    if (reason) {
      broken(reason.seq, reason.reason);
      continue;
    }
    previous = { seq: entry.seq, hash: entry.hash };
    expected = entry.seq + 1;
  }
  if (!report.firstBroken && options.toSeq !== undefined && expected <= options.toSeq) broken(expected, 'MISSING');
  report.valid = report.firstBroken === null;
  return report;
}

async function check(
  entry: Stored,
  following: Stored | null,
  previous: { seq: number; hash: string } | null,
  expected: number,
  options: VerifyOptions,
): Promise<{ seq: number; reason: BreakReason } | null> {
  if (typeof entry.seq !== 'number' || !Number.isInteger(entry.seq) || entry.seq < expected) {
    return { seq: expected, reason: 'INSERTED' };
  }
  if (entry.seq > expected) return { seq: expected, reason: 'MISSING' };
  if (following?.seq === entry.seq) return { seq: entry.seq, reason: 'INSERTED' };

  const body = entryBody(entry);
  if (typeof entry.prevHash !== 'string' || chainHash(entry.prevHash, body) !== entry.hash) {
    return { seq: entry.seq, reason: movedFrom(entry, body) ? 'REORDERED' : 'EDITED' };
  }
  if (previous && entry.prevHash !== previous.hash) {
    // Intact itself but not following its predecessor: the predecessor was rewritten and its hash recomputed.
    return { seq: previous.seq >= 1 ? previous.seq : entry.seq, reason: 'EDITED' };
  }
  if (options.keys?.size) {
    const key = typeof entry.keyId === 'string' ? options.keys.get(entry.keyId) : undefined;
    if (!key || !macMatches(key, entry.hash, entry.mac)) {
      const followed = following === null || following.prevHash === entry.hash;
      return { seq: entry.seq, reason: followed ? 'INSERTED' : 'EDITED' };
    }
  }
  if (entry.type === ANCHOR_ENTRY_TYPE && !(await anchorHolds(entry, options))) {
    return { seq: entry.seq, reason: 'ANCHOR_MISMATCH' };
  }
  return null;
}

/** True when the entry's hash is right for the same content at another seq nearby: it was moved, not changed. */
function movedFrom(entry: Stored, body: Record<string, unknown>): boolean {
  if (typeof entry.prevHash !== 'string') return false;
  for (let distance = 1; distance <= REORDER_WINDOW; distance++) {
    for (const seq of [entry.seq - distance, entry.seq + distance]) {
      if (seq >= 1 && chainHash(entry.prevHash, { ...body, seq }) === entry.hash) return true;
    }
  }
  return false;
}

async function anchorHolds(entry: Stored, options: VerifyOptions): Promise<boolean> {
  const anchor = entry.anchor as AuditAnchor | undefined;
  if (!anchor || anchor.headSeq !== entry.seq - 1 || anchor.headHash !== entry.prevHash) return false;
  if (!options.timestamps) {
    throw new AuditUnverifiableError(
      'The chain holds anchors but no timestamp verifier was given to check their tokens',
    );
  }
  const checked = await options.timestamps.verifyHead(Buffer.from(anchor.token, 'base64'), anchor.headHash);
  return checked.valid;
}
