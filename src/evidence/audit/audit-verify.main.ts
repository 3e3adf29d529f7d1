import mongoose from 'mongoose';
import { splitPaths } from '../../config/split-paths';
import { loadCertificatesFromFiles } from '../../crypto/certificate';
import { AuditLogStore } from './audit-log.store';
import { loadAuditConfig } from './audit.config';
import { verifyStoredChain } from './audit-verifier';
import { TsaHeadTimestamper } from './tsa-head-timestamper';

/**
 * npm run audit:verify [-- --from N --to N]: verifies caAuditLog in MONGODB_URI / MONGODB_DB and prints
 * {"valid","entries","anchors","firstBroken","macsChecked"}. Exit 0 valid, 1 broken, 2 when it could not verify.
 * Without AUDIT_HMAC_KEY(_FILE) or AUDIT_HMAC_PREVIOUS_KEYS only hashes and links are checked (macsChecked: false).
 * Anchor tokens are checked against TSA_TRUSTED_ROOTS; a chain with anchors and no roots cannot be verified (exit 2).
 */
async function main(): Promise<number> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is required');
  const keyGiven = Boolean(
    process.env.AUDIT_HMAC_KEY || process.env.AUDIT_HMAC_KEY_FILE || process.env.AUDIT_HMAC_PREVIOUS_KEYS,
  );
  const config = loadAuditConfig({ ...process.env, NODE_ENV: undefined });
  const keys = new Map(config.keys);
  if (config.developmentKey) keys.delete(config.current.id);
  const conn = await mongoose
    .createConnection(uri, {
      dbName: process.env.MONGODB_DB || 'mnis',
      serverMonitoringMode: 'poll',
      autoIndex: false,
      serverSelectionTimeoutMS: 10_000,
    })
    .asPromise();
  try {
    const store = AuditLogStore.onConnection(conn, config);
    const report = await verifyStoredChain(store, {
      keys: keyGiven ? keys : undefined,
      timestamps: new TsaHeadTimestamper(null, loadCertificatesFromFiles(splitPaths(process.env.TSA_TRUSTED_ROOTS))),
      fromSeq: numberArg('--from'),
      toSeq: numberArg('--to'),
    });
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.valid ? 0 : 1;
  } finally {
    await conn.close();
  }
}

function numberArg(name: string): number | undefined {
  const index = process.argv.indexOf(name);
  if (index < 0) return undefined;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`audit:verify could not verify: ${error.message}\n`);
    process.exit(2);
  },
);
