#!/usr/bin/env node
/* eslint-disable no-console */
// Checks what a MongoDB-wire server (made for FerretDB v1, works for any) does through mongoose,
// and prints the results as JSON on stdout.
//
//   node scripts/ferretdb-check.js <uri> [--poll]
//
// --poll (or FERRETDB_CHECK_POLL=1) passes serverMonitoringMode: 'poll' to mongoose; without it the driver
// default ('auto') is used, and the output reports heartbeat failures and pool clears seen during the run,
// which is what would show that 'poll' is needed.
//
// Exit code: 0 when the core checks pass (round trip, duplicate key -> 11000, upsert, aggregate),
// 1 otherwise. TTL and transactions are reported, not required.
'use strict';

const mongoose = require('mongoose');

const args = process.argv.slice(2);
const uri = args.find((a) => !a.startsWith('--'));
const poll = args.includes('--poll') || process.env.FERRETDB_CHECK_POLL === '1';
if (!uri) {
  console.error('usage: node scripts/ferretdb-check.js <mongodb-uri> [--poll]');
  process.exit(2);
}

const ms = (t0) => Math.round(Number(process.hrtime.bigint() - t0) / 1e4) / 100;
const errInfo = (e) => ({ name: e && e.name, code: e && e.code, message: e && String(e.message).slice(0, 300) });

async function check(result, key, fn) {
  try {
    result[key] = await fn();
  } catch (e) {
    result[key] = { ok: false, error: errInfo(e) };
  }
}

async function main() {
  const dbName = `ferretdb_check_${Date.now()}`;
  const options = { dbName, serverSelectionTimeoutMS: 5000, autoIndex: false };
  if (poll) options.serverMonitoringMode = 'poll';

  const out = { uri, serverMonitoringMode: poll ? 'poll' : 'default (auto)', db: dbName };
  const events = { serverHeartbeatFailed: 0, connectionPoolCleared: 0, firstHeartbeatFailure: null };

  const t0 = process.hrtime.bigint();
  const conn = await mongoose.createConnection(uri, options).asPromise();
  out.connectMs = ms(t0);
  const client = conn.getClient();
  client.on('serverHeartbeatFailed', (e) => {
    events.serverHeartbeatFailed += 1;
    if (!events.firstHeartbeatFailure) events.firstHeartbeatFailure = String(e.failure && e.failure.message);
  });
  client.on('connectionPoolCleared', () => {
    events.connectionPoolCleared += 1;
  });

  try {
    const hello = await conn.db.admin().command({ hello: 1 });
    const build = await conn.db.admin().command({ buildInfo: 1 });
    out.server = {
      version: build.version,
      ferretdb: build.ferretdb ? build.ferretdb.version || build.ferretdb : undefined,
      isWritablePrimary: hello.isWritablePrimary,
      setName: hello.setName || null,
      maxWireVersion: hello.maxWireVersion,
      topologyVersion: hello.topologyVersion ? 'present' : 'absent',
      topology: client.topology && client.topology.description && client.topology.description.type,
    };
  } catch (e) {
    out.server = { error: errInfo(e) };
  }

  const Item = conn.model(
    'Item',
    new mongoose.Schema(
      { key: { type: String, required: true }, n: Number, group: String, at: Date, tags: [String] },
      { timestamps: true },
    ),
  );
  const Uniq = conn.model('Uniq', new mongoose.Schema({ email: { type: String, unique: true } }));
  const Counter = conn.model('Counter', new mongoose.Schema({ _id: String, seq: Number }));
  const Session = conn.model('Session', new mongoose.Schema({ token: String, createdAt: Date }));
  const Bench = conn.model('Bench', new mongoose.Schema({ i: Number, payload: String }));

  await check(out, 'roundTrip', async () => {
    const at = new Date('2024-05-06T07:08:09.123Z');
    const created = await Item.create({ key: 'a', n: 1, group: 'g1', at, tags: ['x', 'y'] });
    const found = await Item.findById(created._id).lean();
    const ok =
      !!found &&
      found.key === 'a' &&
      found.n === 1 &&
      found.at instanceof Date &&
      found.at.getTime() === at.getTime() &&
      found.tags.join(',') === 'x,y' &&
      found.createdAt instanceof Date;
    return { ok };
  });

  await check(out, 'uniqueIndexDuplicate', async () => {
    await Uniq.syncIndexes();
    const indexes = await Uniq.collection.indexes();
    const declared = indexes.some((i) => i.unique && i.key && i.key.email === 1);
    await Uniq.create({ email: 'a@example.org' });
    let code = null;
    let message = null;
    try {
      await Uniq.create({ email: 'a@example.org' });
    } catch (e) {
      code = e.code;
      message = String(e.message).slice(0, 200);
    }
    const count = await Uniq.countDocuments({ email: 'a@example.org' });
    return {
      ok: code === 11000 && count === 1,
      uniqueIndexListed: declared,
      code,
      gives11000: code === 11000,
      message,
      documents: count,
    };
  });

  await check(out, 'findOneAndUpdateUpsert', async () => {
    const first = await Counter.findOneAndUpdate(
      { _id: 'orders' },
      { $inc: { seq: 1 } },
      { upsert: true, new: true },
    ).lean();
    const second = await Counter.findOneAndUpdate(
      { _id: 'orders' },
      { $inc: { seq: 1 } },
      { upsert: true, new: true },
    ).lean();
    return { ok: !!first && first.seq === 1 && !!second && second.seq === 2 };
  });

  await check(out, 'aggregate', async () => {
    await Item.insertMany([
      { key: 'b', n: 2, group: 'g1' },
      { key: 'c', n: 3, group: 'g2' },
      { key: 'd', n: 4, group: 'g2' },
      { key: 'e', n: 50, group: 'g3' },
    ]);
    const rows = await Item.aggregate([
      { $match: { n: { $lt: 10 } } },
      { $sort: { n: -1 } },
      { $group: { _id: '$group', total: { $sum: '$n' } } },
      { $sort: { _id: 1 } },
    ]);
    const expected = [
      { _id: 'g1', total: 3 },
      { _id: 'g2', total: 7 },
    ];
    return { ok: JSON.stringify(rows) === JSON.stringify(expected), rows };
  });

  // Extra (not core): two accumulators in one $group (real MongoDB: g1 3/2, g2 7/2).
  await check(out, 'aggregateTwoAccumulators', async () => {
    const rows = await Item.aggregate([
      { $match: { n: { $lt: 10 } } },
      { $group: { _id: '$group', total: { $sum: '$n' }, count: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]);
    const expected = [
      { _id: 'g1', total: 3, count: 2 },
      { _id: 'g2', total: 7, count: 2 },
    ];
    return { ok: JSON.stringify(rows) === JSON.stringify(expected), rows };
  });

  // Extras (not core): other accumulators and $lookup.
  await check(out, 'aggregateMaxAvgAccumulators', async () => {
    const rows = await Item.aggregate([
      { $match: { group: 'g2' } },
      { $group: { _id: '$group', max: { $max: '$n' }, avg: { $avg: '$n' } } },
    ]);
    return { ok: JSON.stringify(rows) === JSON.stringify([{ _id: 'g2', max: 4, avg: 3.5 }]), rows };
  });

  await check(out, 'aggregateLookup', async () => {
    const rows = await Item.aggregate([
      { $match: { key: 'a' } },
      { $lookup: { from: Counter.collection.name, localField: 'key', foreignField: '_id', as: 'joined' } },
    ]);
    return { ok: rows.length === 1 && Array.isArray(rows[0].joined), rows: rows.length };
  });

  await check(out, 'aggregateFirstAccumulator', async () => {
    const rows = await Item.aggregate([
      { $match: { n: { $lt: 10 } } },
      { $sort: { n: -1 } },
      { $group: { _id: '$group', first: { $first: '$key' } } },
      { $sort: { _id: 1 } },
    ]);
    return {
      ok:
        JSON.stringify(rows) ===
        JSON.stringify([
          { _id: 'g1', first: 'b' },
          { _id: 'g2', first: 'd' },
        ]),
      rows,
    };
  });

  await check(out, 'ttlIndex', async () => {
    const name = await Session.collection.createIndex({ createdAt: 1 }, { expireAfterSeconds: 3600 });
    const idx = (await Session.collection.indexes()).find((i) => i.name === name);
    return {
      ok: true,
      accepted: true,
      expireAfterSecondsListed: idx ? idx.expireAfterSeconds === 3600 : false,
      note: 'acceptance only; expiry itself is not waited for',
    };
  });

  await check(out, 'transaction', async () => {
    const session = await conn.startSession();
    try {
      await session.withTransaction(async () => {
        await Item.create([{ key: 'tx', n: 100, group: 'tx' }], { session });
      });
      const committed = await Item.countDocuments({ key: 'tx' });
      let rolledBack = null;
      try {
        await session.withTransaction(async () => {
          await Item.create([{ key: 'tx-abort', n: 101, group: 'tx' }], { session });
          throw new Error('abort on purpose');
        });
      } catch (e) {
        if (e.message !== 'abort on purpose') throw e;
        rolledBack = (await Item.countDocuments({ key: 'tx-abort' })) === 0;
      }
      return { ok: committed === 1 && rolledBack === true, supported: true, committed, abortRolledBack: rolledBack };
    } finally {
      await session.endSession().catch(() => {});
    }
  });
  if (out.transaction && out.transaction.error) out.transaction.supported = false;

  // Extra (not core): atomicity of concurrent updates of one document (real MongoDB: exactly 50).
  await check(out, 'parallelIncOneDoc', async () => {
    await Counter.create({ _id: 'par', seq: 0 });
    await Promise.all(Array.from({ length: 50 }, () => Counter.updateOne({ _id: 'par' }, { $inc: { seq: 1 } })));
    const doc = await Counter.findById('par').lean();
    return { ok: doc.seq === 50, seq: doc.seq, expected: 50 };
  });

  await check(out, 'parallelFindOneAndUpdateIncOneDoc', async () => {
    await Counter.create({ _id: 'par2', seq: 0 });
    await Promise.all(
      Array.from({ length: 50 }, () => Counter.findOneAndUpdate({ _id: 'par2' }, { $inc: { seq: 1 } }, { new: true })),
    );
    const doc = await Counter.findById('par2').lean();
    return { ok: doc.seq === 50, seq: doc.seq, expected: 50 };
  });

  await check(out, 'inserts1000Sequential', async () => {
    const t = process.hrtime.bigint();
    for (let i = 0; i < 1000; i += 1) {
      await Bench.create({ i, payload: 'x'.repeat(100) });
    }
    const total = ms(t);
    return { ok: (await Bench.countDocuments({})) === 1000, ms: total, perSecond: Math.round(1000 / (total / 1000)) };
  });

  await check(out, 'inserts1000With50InFlight', async () => {
    await Bench.deleteMany({});
    const t = process.hrtime.bigint();
    let next = 0;
    const worker = async () => {
      while (next < 1000) {
        const i = next;
        next += 1;
        await Bench.create({ i, payload: 'x'.repeat(100) });
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
    const total = ms(t);
    return { ok: (await Bench.countDocuments({})) === 1000, ms: total, perSecond: Math.round(1000 / (total / 1000)) };
  });

  out.monitoringEvents = events;
  await conn.dropDatabase().catch(() => {});
  await conn.close();

  const core = ['roundTrip', 'uniqueIndexDuplicate', 'findOneAndUpdateUpsert', 'aggregate'];
  out.corePassed = core.every((k) => out[k] && out[k].ok);
  out.summary = Object.fromEntries(
    Object.entries(out)
      .filter(([, v]) => v && typeof v === 'object' && 'ok' in v)
      .map(([k, v]) => [k, v.ok ? 'pass' : 'fail']),
  );
  console.log(JSON.stringify(out, null, 2));
  return out.corePassed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`ferretdb-check: ${e && e.stack ? e.stack : e}`);
    process.exit(1);
  },
);
