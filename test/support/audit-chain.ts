import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { AuditLogStore } from '../../src/evidence/audit/audit-log.store';
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
