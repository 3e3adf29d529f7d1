import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { AuditLogStore } from '../../src/evidence/audit/audit-log.store';
import { AuditOutboxDrain, AuditOutboxSource } from '../../src/evidence/audit/audit-outbox.drain';
import { chainHash, entryBody, entryMac } from '../../src/evidence/audit/audit-entry';
import { AuditConfig, loadAuditConfig } from '../../src/evidence/audit/audit.config';
import { testEngine } from './engine';

export const AUDIT_KEY = 'audit-test-key-0123456789abcdef-0123';
export const AUDIT_ENV = { AUDIT_HMAC_KEY: AUDIT_KEY, AUDIT_HMAC_KEY_ID: 'test-1' };

/** A connection of its own to a database of the test's own, and an AuditLogStore over it (as one gateway has). */
export async function auditStoreOn(
  dbName: string,
  config: AuditConfig = loadAuditConfig(AUDIT_ENV),
): Promise<{ store: AuditLogStore; conn: mongoose.Connection; config: AuditConfig }> {
  const engine = testEngine();
  const conn = await mongoose.createConnection(engine.uri, { ...engine.clientOptions, dbName }).asPromise();
  const store = AuditLogStore.onConnection(conn, config);
  await store.onModuleInit();
  return { store, conn, config };
}

export function freshDbName(): string {
  return `audit_${randomBytes(5).toString('hex')}`;
}

/**
 * Drains `source` into the audit chain of `conn` (as a gateway's drain would after a crash) and answers the entries
 * this appended, in seq order.
 */
export async function drainIntoChain(
  conn: mongoose.Connection,
  source: AuditOutboxSource,
): Promise<Record<string, unknown>[]> {
  const chain = AuditLogStore.onConnection(conn, loadAuditConfig(AUDIT_ENV));
  await chain.onModuleInit();
  const before = (await chain.head())?.seq ?? 0;
  await new AuditOutboxDrain(chain).drain(source);
  const entries: Record<string, unknown>[] = [];
  for await (const entry of chain.range(before + 1)) entries.push(entry);
  return entries;
}

/** What a key holder can do: change one entry, then recompute every later hash and mac so each link holds again. */
export async function rewriteWithKey(
  log: mongoose.mongo.Collection,
  fromSeq: number,
  change: Record<string, unknown>,
  options: { moveAnchorHead: boolean },
) {
  const key = Buffer.from(AUDIT_KEY);
  const entries = await log
    .find({}, { projection: { _id: 0 } })
    .sort({ seq: 1 })
    .toArray();
  let prevHash = entries[fromSeq - 2]?.hash ?? '0'.repeat(64);
  for (const entry of entries.filter((e) => e.seq >= fromSeq)) {
    const body = entryBody(entry) as Record<string, unknown>;
    if (entry.seq === fromSeq) Object.assign(body, change);
    body.prevHash = prevHash;
    if (body.anchor && options.moveAnchorHead) body.anchor = { ...(body.anchor as object), headHash: prevHash };
    const hash = chainHash(prevHash, body);
    await log.replaceOne({ seq: entry.seq }, { ...body, hash, mac: entryMac(key, hash) });
    prevHash = hash;
  }
}

/** `npm run audit:verify` as an operator runs it (its entry file, through ts-node): exit code and printed report. */
export async function runAuditVerify(
  env: Record<string, string>,
): Promise<{ code: number; report: { valid: boolean; entries: number; firstBroken: unknown } }> {
  const args = ['-r', 'ts-node/register/transpile-only', 'src/evidence/audit/audit-verify.main.ts'];
  return promisify(execFile)(process.execPath, args, { env: { ...process.env, ...env } }).then(
    ({ stdout }) => ({ code: 0, report: JSON.parse(stdout) }),
    (error: { code: number; stdout: string }) => ({ code: error.code, report: JSON.parse(error.stdout || 'null') }),
  );
}
