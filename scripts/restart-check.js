// Checks that a MongoDB-wire server keeps data, unique indexes and atomic updates across a restart.
//   node scripts/restart-check.js <uri> write    # before the restart: fresh database, documents, unique index
//   node scripts/restart-check.js <uri> verify   # after it: prints a JSON report, exit 0 when everything held
// scripts/restart-check.sh runs both around a stop and start of FerretDB or mongo-java-server (H2).
const { MongoClient } = require('mongodb');

const [uri, phase] = process.argv.slice(2);
const DB = 'restart_check';
const DOCS = 1000;

async function write(db) {
  await db.dropDatabase();
  const records = db.collection('records');
  await records.createIndex({ key: 1 }, { unique: true, name: 'key_unique' });
  await records.insertMany(
    Array.from({ length: DOCS }, (_, i) => ({ key: `k${i}`, at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), n: i })),
  );
  const counter = db.collection('counters');
  await counter.insertOne({ _id: 'c', seq: 0 });
  await Promise.all(Array.from({ length: 50 }, () => counter.updateOne({ _id: 'c' }, { $inc: { seq: 1 } })));
  return { written: DOCS, seq: (await counter.findOne({ _id: 'c' })).seq };
}

async function verify(db) {
  const records = db.collection('records');
  const report = {};
  report.documents = await records.countDocuments();
  const sample = await records.findOne({ key: 'k999' });
  report.dateKept = sample?.at instanceof Date && sample.at.getTime() === Date.UTC(2026, 0, 1, 0, 16, 39);
  report.uniqueIndexListed = (await records.indexes()).some((i) => i.name === 'key_unique' && i.unique);
  try {
    await records.insertOne({ key: 'k1' });
    report.duplicateRefused = false;
  } catch (e) {
    report.duplicateRefused = e.code === 11000;
  }
  const counter = db.collection('counters');
  report.seqBefore = (await counter.findOne({ _id: 'c' }))?.seq;
  await Promise.all(Array.from({ length: 50 }, () => counter.updateOne({ _id: 'c' }, { $inc: { seq: 1 } })));
  report.seqAfter50Inc = (await counter.findOne({ _id: 'c' }))?.seq;
  report.ok =
    report.documents === DOCS &&
    report.dateKept &&
    report.uniqueIndexListed &&
    report.duplicateRefused &&
    report.seqBefore === 50 &&
    report.seqAfter50Inc === 100;
  return report;
}

(async () => {
  if (!uri || !['write', 'verify'].includes(phase)) {
    console.error('usage: node scripts/restart-check.js <uri> write|verify');
    process.exit(2);
  }
  const client = await MongoClient.connect(uri, { directConnection: true, serverSelectionTimeoutMS: 10000 });
  try {
    const db = client.db(DB);
    const report = phase === 'write' ? await write(db) : await verify(db);
    console.log(JSON.stringify({ phase, ...report }));
    process.exitCode = phase === 'verify' && !report.ok ? 1 : 0;
    if (phase === 'verify') await db.dropDatabase();
  } finally {
    await client.close();
  }
})().catch((e) => {
  console.error(`restart-check: ${e.message}`);
  process.exit(1);
});
