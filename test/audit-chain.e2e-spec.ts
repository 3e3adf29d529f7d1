import { spawn } from 'node:child_process';
import mongoose from 'mongoose';
import { AppModule } from '../src/app.module';
import { createApp } from '../src/common/http/create-app';
import {
  AuditEntry,
  AuditLogStore,
  AuditOutboxDrain,
  AuditOutboxItem,
  AuditOutboxSource,
  chainHash,
  entryBody,
  entryMac,
  loadAuditConfig,
  verifyStoredChain,
} from '../src/evidence/audit';
import { AuditAnchorJob } from '../src/evidence/audit/audit-anchor.job';
import { AUDIT_ENV, auditStoreOn, freshDbName, rewriteWithKey, runAuditVerify } from './support/audit-chain';
import { itWhen, testEngine } from './support/engine';
import { OpensslHeadTimestamper } from './support/openssl-tsa';
import { HeadTimestamper, TsaHeadTimestamper } from '../src/evidence/audit';
import { TsaSimulator } from '../src/simulators/tsa';
import { outboxDocsSource, seedOutboxDocs } from './support/outbox-docs';
import { HTTP_PRODUCTION } from '../src/config/http-rules.testing';
import { EventBus } from '../src/events';
import { AuthorizationStore } from '../src/login/authorization.store';
import { CaAuthorization, CaAuthorizationSchema } from '../src/login/schemas/ca-authorization.schema';

async function appendSome(store: AuditLogStore, count: number): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < count; i++) {
    entries.push(
      await store.append({
        type: i % 2 ? 'RecordSigned' : 'RecordClaimed',
        outcome: 'OK',
        actor: { apiKeyId: 'key-ward-3', handleHash: '0123456789abcdef', address: '127.0.0.1' },
        subject: { recordId: `r${i}`, docId: `D${i}`, userCode: 'N0042', vendor: 'coss' },
        requestId: `req-${i}`,
      }),
    );
  }
  return entries;
}

describe('Audit chain on a real engine', () => {
  const opened: mongoose.Connection[] = [];
  let dbName: string;
  let store: AuditLogStore;
  let log: mongoose.mongo.Collection;

  async function open(name = dbName) {
    const handle = await auditStoreOn(name);
    opened.push(handle.conn);
    return handle;
  }

  beforeEach(async () => {
    dbName = freshDbName();
    const handle = await open();
    store = handle.store;
    log = handle.conn.collection('caAuditLog');
  });

  afterEach(async () => {
    await opened[0]?.dropDatabase().catch(() => undefined);
    await Promise.all(opened.splice(0).map((conn) => conn.close()));
  });

  const verify = (extra: Parameters<typeof verifyStoredChain>[1] = {}) =>
    verifyStoredChain(store, { keys: loadAuditConfig(AUDIT_ENV).keys, ...extra });

  it('chains appended entries from 64 zero hex digits, with no secret or content stored', async () => {
    const entries = await appendSome(store, 5);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0].prevHash).toBe('0'.repeat(64));
    expect(entries[1].prevHash).toBe(entries[0].hash);
    expect(await verify()).toEqual({ valid: true, entries: 5, anchors: 0, firstBroken: null, macsChecked: true });
    const stored = await log.findOne({ seq: 2 }, { projection: { _id: 0 } });
    expect(stored).toEqual(entries[1]);
    expect(Object.keys(stored!).sort()).toEqual(
      ['actor', 'at', 'hash', 'keyId', 'mac', 'outcome', 'prevHash', 'requestId', 'seq', 'subject', 'type'].sort(),
    );
  });

  it('reports an entry edited in the database as EDITED at its seq', async () => {
    await appendSome(store, 6);
    await log.updateOne({ seq: 4 }, { $set: { 'subject.userCode': 'N9999' } });
    expect((await verify()).firstBroken).toEqual({ seq: 4, reason: 'EDITED' });
  });

  it('reports an entry deleted from the database as MISSING at its seq', async () => {
    await appendSome(store, 6);
    await log.deleteOne({ seq: 3 });
    expect(await verify()).toMatchObject({ valid: false, entries: 5, firstBroken: { seq: 3, reason: 'MISSING' } });
  });

  it('reports an entry inserted at an existing seq as INSERTED at that seq', async () => {
    const entries = await appendSome(store, 6);
    // An intruder drops the unique index first, then forges an entry that links correctly but has no valid mac.
    await log.dropIndex('seq_1').catch(() => undefined);
    const forged = { ...entryBody(entries[3] as never), outcome: 'FORGED' } as Record<string, unknown>;
    const hash = chainHash(entries[2].hash, forged);
    await log.insertOne({ ...forged, hash, mac: entryMac(Buffer.from('not the key, but 32 bytes long...'), hash) });
    expect((await verify()).firstBroken).toEqual({ seq: 4, reason: 'INSERTED' });
  });

  it('reports two entries swapped in the database as REORDERED at the first', async () => {
    await appendSome(store, 6);
    await log.updateOne({ seq: 2 }, { $set: { seq: -2 } });
    await log.updateOne({ seq: 3 }, { $set: { seq: 2 } });
    await log.updateOne({ seq: -2 }, { $set: { seq: 3 } });
    expect((await verify()).firstBroken).toEqual({ seq: 2, reason: 'REORDERED' });
  });

  it('checks a seq range from the entry before it', async () => {
    await appendSome(store, 8);
    expect(await verify({ fromSeq: 3, toSeq: 6 })).toMatchObject({ valid: true, entries: 4 });
    await log.updateOne({ seq: 7 }, { $set: { outcome: 'CHANGED' } });
    expect(await verify({ fromSeq: 3, toSeq: 6 })).toMatchObject({ valid: true });
    expect((await verify({ fromSeq: 3 })).firstBroken).toEqual({ seq: 7, reason: 'EDITED' });
  });

  // The same proofs with OpenSSL's own TSA and with the gateway's TimestampClient against the TSA simulator (SM2).
  describe.each([
    {
      name: 'OpenSSL TSA (openssl ts -reply)',
      hash: 'sha256',
      make: async () => {
        const openssl = new OpensslHeadTimestamper();
        return { tsa: openssl as HeadTimestamper, dispose: async () => openssl.dispose() };
      },
    },
    {
      name: 'the TSA simulator through TimestampClient (TsaHeadTimestamper, SM2)',
      hash: 'sm3',
      make: async () => {
        const sim = await TsaSimulator.start();
        return {
          tsa: new TsaHeadTimestamper(sim.client('SM2'), sim.trustedRoots) as HeadTimestamper,
          dispose: () => sim.stop(),
        };
      },
    },
  ])('anchors by $name', ({ hash, make }) => {
    let tsa: HeadTimestamper;
    let dispose: () => Promise<void>;
    beforeAll(async () => ({ tsa, dispose } = await make()));
    afterAll(() => dispose());

    function anchorJob(on: AuditLogStore) {
      return new AuditAnchorJob(on, loadAuditConfig(AUDIT_ENV), tsa);
    }

    it('appends the TSA token over the head right after it, and nothing when nothing is new', async () => {
      await appendSome(store, 4);
      const anchor = await anchorJob(store).anchorNow();
      expect(anchor).toMatchObject({ seq: 5, type: 'AUDIT_ANCHOR', anchor: { headSeq: 4, hashAlgorithm: hash } });
      expect(anchor!.anchor!.headHash).toBe(anchor!.prevHash);
      expect(await anchorJob(store).anchorNow()).toBeNull();
      await appendSome(store, 2);
      expect(await verify({ timestamps: tsa })).toEqual({
        valid: true,
        entries: 7,
        anchors: 1,
        firstBroken: null,
        macsChecked: true,
      });
    });

    it('shows a rewrite before an anchor made WITH the key (every hash and mac recomputed) as ANCHOR_MISMATCH', async () => {
      await appendSome(store, 4);
      await anchorJob(store).anchorNow();
      await appendSome(store, 2);
      await rewriteWithKey(log, 2, { outcome: 'REWRITTEN' }, { moveAnchorHead: true });
      expect((await verify({ timestamps: tsa })).firstBroken).toEqual({ seq: 5, reason: 'ANCHOR_MISMATCH' });
      // Every hash and mac holds again: only the TSA's token shows the rewrite, so it cannot be checked without it.
      await expect(verify()).rejects.toThrow('no timestamp verifier');
    });

    it('also when the anchor keeps the old head hash', async () => {
      await appendSome(store, 4);
      await anchorJob(store).anchorNow();
      await rewriteWithKey(log, 3, { outcome: 'REWRITTEN' }, { moveAnchorHead: false });
      expect((await verify({ timestamps: tsa })).firstBroken).toEqual({ seq: 5, reason: 'ANCHOR_MISMATCH' });
    });

    it("finds a record's entries, and for them the nearest anchor after each (what the evidence export needs)", async () => {
      await appendSome(store, 3); // r0, r1, r2
      await anchorJob(store).anchorNow(); // seq 4
      await store.append({ type: 'RecordRead', outcome: 'READ', subject: { recordId: 'r1' } }); // seq 5
      await anchorJob(store).anchorNow(); // seq 6
      await store.append({ type: 'RecordRead', outcome: 'READ', subject: { recordId: 'r1' } }); // seq 7, not anchored yet
      const entries = await store.forRecord('r1');
      expect(entries.map((e) => e.seq)).toEqual([2, 5, 7]);
      expect(entries[0]).toEqual(await store.bySeq(2));
      const anchors = await Promise.all(entries.map((e) => store.firstAnchorAfter(e.seq)));
      expect(anchors.map((a) => a?.seq ?? null)).toEqual([4, 6, null]);
      expect(await store.forRecord('nobody')).toEqual([]);
    });

    itWhen('uniqueIndexes')('leaves an anchor made by another instance in the meantime alone', async () => {
      await appendSome(store, 3);
      const other = (await open()).store;
      const [a, b] = await Promise.all([anchorJob(store).anchorNow(), anchorJob(other).anchorNow()]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect(await verify({ timestamps: tsa })).toMatchObject({ valid: true, anchors: 1 });
    });
  });

  itWhen('uniqueIndexes')('leaves no gap and no duplicate in seq with four gateways appending at once', async () => {
    const stores = [store, ...(await Promise.all([open(), open(), open()])).map((h) => h.store)];
    await Promise.all(stores.map((s) => appendSome(s, 25)));
    const seqs = (await log.find({}, { projection: { seq: 1 } }).toArray()).map((e) => e.seq as number);
    expect(seqs.sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(await verify()).toMatchObject({ valid: true, entries: 100 });
  });

  describe('outbox drain', () => {
    it('appends each pending item once even when a drain dies between the append and the mark', async () => {
      const conn = opened[0];
      const keys = await seedOutboxDocs(conn, 1, 3);
      const drain = new AuditOutboxDrain(store);
      const dying = outboxDocsSource(conn, async () => {
        throw new Error('died between the append and the mark');
      });
      await expect(drain.drain(dying)).rejects.toThrow('died');
      expect(await log.countDocuments()).toBe(1);
      expect(await drain.drain(outboxDocsSource(conn))).toBe(3);
      expect(await drain.drain(outboxDocsSource(conn))).toBe(0);
      expect((await log.find().sort({ seq: 1 }).toArray()).map((e) => e.idempotencyKey)).toEqual(keys);
      expect(await verify()).toMatchObject({ valid: true, entries: 3 });
    });

    it('loses and duplicates nothing when the draining process is killed (SIGKILL) between an append and its mark', async () => {
      const conn = opened[0];
      const keys = await seedOutboxDocs(conn, 3, 4);
      const child = spawn(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', 'test/support/outbox-drain.child.ts'],
        { env: { ...process.env, OUTBOX_DB: dbName, PAUSE_AT: '6' }, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const paused = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /paused after appending (\S+)/.exec(out);
          if (match) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`drain process exited with ${code} before pausing: ${out}`)));
      });
      child.kill('SIGKILL');
      await exited;
      expect(paused).toBe(keys[5]);
      expect(await log.countDocuments()).toBe(6);
      const stillPending = await outboxDocsSource(conn).pending(100);
      expect(stillPending.map((item) => item.idempotencyKey)).toContain(keys[5]);

      // The next gateway's start-up drain (the recovery).
      expect(await new AuditOutboxDrain(store).drain(outboxDocsSource(conn))).toBe(7);
      const appended = (await log.find().sort({ seq: 1 }).toArray()).map((e) => e.idempotencyKey);
      expect(appended).toEqual(keys);
      expect(await outboxDocsSource(conn).pending(100)).toEqual([]);
      expect(await verify()).toMatchObject({ valid: true, entries: 12 });
    }, 60_000);

    it('puts a login committed by a process killed (SIGKILL) before any drain into the chain at the next start-up', async () => {
      const child = spawn(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', 'test/support/login-transition.child.ts'],
        { env: { ...process.env, OUTBOX_DB: dbName }, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const signDataId = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /committed (\S+)/.exec(out);
          if (match) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`login process exited with ${code} first: ${out}`)));
      });
      child.kill('SIGKILL');
      await exited;
      expect(await log.countDocuments()).toBe(0);

      // The next gateway's start-up drain (the recovery), through the store that owns the collection.
      const conn = opened[0];
      const logins = new AuthorizationStore(conn.model(CaAuthorization.name, CaAuthorizationSchema), new EventBus());
      expect(await new AuditOutboxDrain(store).drain(logins.auditOutbox())).toBe(2);
      const entries = await log
        .find({}, { projection: { _id: 0 } })
        .sort({ seq: 1 })
        .toArray();
      expect(entries).toMatchObject([
        { seq: 1, type: 'LoginStarted', outcome: 'UNSIGN', subject: { signDataId, userCode: 'N042', vendor: 'coss' } },
        { seq: 2, type: 'LoginFinished', outcome: 'FINISH', subject: { signDataId } },
      ]);
      expect(JSON.stringify(entries)).not.toMatch(/mssp-kill-test|a{64}|b{64}|qr:\/\//);
      expect(await new AuditOutboxDrain(store).drain(logins.auditOutbox())).toBe(0);
      expect(await verify()).toMatchObject({ valid: true, entries: 2 });
    }, 60_000);

    itWhen('uniqueIndexes')('appends each item once when two gateways drain the same outbox at once', async () => {
      await seedOutboxDocs(opened[0], 4, 5);
      const second = await open();
      await Promise.all([
        new AuditOutboxDrain(store).drain(outboxDocsSource(opened[0])),
        new AuditOutboxDrain(second.store).drain(outboxDocsSource(second.conn)),
      ]);
      expect(await log.countDocuments()).toBe(20);
      expect(await log.distinct('idempotencyKey')).toHaveLength(20);
      expect(await verify()).toMatchObject({ valid: true, entries: 20 });
    });
  });

  describe('npm run audit:verify', () => {
    const cli = async (env: Record<string, string>) => {
      const { code, report } = await runAuditVerify({ MONGODB_URI: testEngine().uri, MONGODB_DB: dbName, ...env });
      return { code, out: report };
    };

    it('prints the report and exits 0 when valid, 1 when broken', async () => {
      await appendSome(store, 4);
      expect(await cli(AUDIT_ENV)).toEqual({
        code: 0,
        out: { valid: true, entries: 4, anchors: 0, firstBroken: null, macsChecked: true },
      });
      expect((await cli({})).out).toMatchObject({ valid: true, macsChecked: false });
      await log.updateOne({ seq: 2 }, { $set: { type: 'Other' } });
      expect(await cli(AUDIT_ENV)).toEqual({
        code: 1,
        out: { valid: false, entries: 4, anchors: 0, firstBroken: { seq: 2, reason: 'EDITED' }, macsChecked: true },
      });
    }, 60_000);
  });
});

describe('Audit start-up validation', () => {
  it('refuses production without AUDIT_HMAC_KEY, and with a key under 32 bytes', async () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        ...HTTP_PRODUCTION,
        NODE_ENV: 'production',
        MONGODB_URI: testEngine().uri,
        COSS_BASE_URL: 'http://127.0.0.1:1',
        CA_PROVIDERS: 'coss',
        TSA_DISABLED: 'true',
        LOG_LEVEL: 'silent',
      });
      delete process.env.AUDIT_HMAC_KEY;
      await expect(createApp(() => AppModule.register())).rejects.toThrow(
        /AUDIT_HMAC_KEY \(or AUDIT_HMAC_KEY_FILE\) is required in production/,
      );
      Object.assign(process.env, { AUDIT_HMAC_KEY: 'too-short', AUDIT_HMAC_KEY_ID: 'k1' });
      await expect(createApp(() => AppModule.register())).rejects.toThrow(/AUDIT_HMAC_KEY must be at least 32 bytes/);
    } finally {
      process.env = saved;
    }
  });
});
