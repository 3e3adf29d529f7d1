import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { EventBus } from '../events';
import { drainIntoChain } from '../../test/support/audit-chain';
import { recordEvents, startStoreDatabase, StoreDatabase } from '../../test/support/store-database';
import { envelopeV2 } from '../evidence/envelope';
import { canonicalJson } from './canonical-json';
import { NursingDocumentStore } from './nursing-document.store';
import type { StoredRecord } from './schemas/ca-extended-data.schema';
import { contentOf } from './schemas/nursing-record.schema';

describe(NursingDocumentStore.name, () => {
  let db: StoreDatabase;
  let store: NursingDocumentStore;
  let events: ReturnType<typeof recordEvents>;

  beforeAll(async () => {
    db = await startStoreDatabase();
    new NursingDocumentStore(db.connection, new EventBus());
    await Promise.all(Object.values(db.connection.models).map((model) => model.init()));
  });
  afterAll(() => db?.close());
  beforeEach(() => {
    const bus = new EventBus();
    store = new NursingDocumentStore(db.connection, bus);
    events = recordEvents(bus);
  });

  const signed = (docId: string, signedAt: Date, text: string, docType = 'document') =>
    ({
      _id: new Types.ObjectId(),
      docId,
      docType,
      signedContent: JSON.stringify({ id: docId, text }),
      contentDigestSm3: `${text}-digest`,
      signedAt,
      userCode: 'N001',
      certSubject: 'CN=Nurse',
    }) as StoredRecord;

  it('apply inserts the document with its signature, and a newer signature replaces it', async () => {
    const docId = randomUUID();
    const first = signed(docId, new Date(Date.now() - 1000), 'first');
    expect(await store.apply(first)).toBe(true);
    expect(contentOf((await store.find('document', docId))!)).toEqual({ id: docId, text: 'first' });
    expect(await store.find('document', docId)).toMatchObject({
      signature: { status: 'SIGNED', recordId: first._id, userCode: 'N001' },
    });
    expect(await events.take()).toEqual([
      expect.objectContaining({ type: 'DocumentApplied', docId, recordId: String(first._id), docType: 'document' }),
    ]);

    const second = signed(docId, new Date(), 'second');
    expect(await store.apply(second)).toBe(true);
    expect(contentOf((await store.find('document', docId))!)).toEqual({ id: docId, text: 'second' });
    const [event] = await events.take();
    expect(Object.keys(event).sort()).toEqual(['at', 'contentDigestSm3', 'docId', 'docType', 'recordId', 'type']);
  });

  it('apply is refused to a signature older than the one the document carries', async () => {
    const docId = randomUUID();
    await store.apply(signed(docId, new Date(), 'newer'));
    await events.take();
    expect(await store.apply(signed(docId, new Date(Date.now() - 60_000), 'late'))).toBe(false);
    expect(contentOf((await store.find('document', docId))!)).toEqual({ id: docId, text: 'newer' });
    expect(await events.take()).toEqual([]);
  });

  it('stores keys that begin with $ or contain a dot exactly as sent', async () => {
    const docId = randomUUID();
    const record = signed(docId, new Date(), 'x');
    const content = { id: docId, $gt: 1, 'a.b': { $where: 'x', 'c.d': [1, { $ne: null }] } };
    record.signedContent = JSON.stringify(content);
    expect(await store.apply(record)).toBe(true);
    expect(contentOf((await store.find('document', docId))!)).toEqual(content);
  });

  it('stores the content of a version-2 record, not its envelope', async () => {
    const docId = randomUUID();
    const record = signed(docId, new Date(), 'v2');
    const content = { text: 'v2', id: docId };
    record.envelopeVersion = 2;
    record.claimedAt = new Date();
    record.signedContent = envelopeV2({
      ...record,
      recordId: String(record._id),
      content,
      claimedAt: record.claimedAt,
    });
    expect(await store.apply(record)).toBe(true);
    const stored = (await store.find('document', docId))!;
    expect(stored.contentJson).toBe(canonicalJson(content));
    expect(contentOf(stored)).toEqual(content);
  });

  it('keeps risk assessments in their own collection', async () => {
    const docId = randomUUID();
    await store.apply(signed(docId, new Date(), 'risk', 'riskAssessment'));
    expect(await store.find('riskAssessment', docId)).not.toBeNull();
    expect(await store.find('document', docId)).toBeNull();
    expect(await db.connection.collection('riskAssessments').countDocuments({ docId })).toBe(1);
  });

  it('writes an audit item with each apply (none when refused); a drain after a crash appends each once', async () => {
    const docId = randomUUID();
    const first = signed(docId, new Date(Date.now() - 1000), 'first-content');
    const second = signed(docId, new Date(), 'second-content');
    const risk = signed(docId, new Date(), 'risk-content', 'riskAssessment');
    await store.apply(first);
    await store.apply(second);
    await store.apply(signed(docId, new Date(Date.now() - 60_000), 'late-content'));
    await store.apply(risk);
    // The process "dies" here: every apply is committed, no drain has run.
    const entries = [];
    for (const source of store.auditOutboxes()) entries.push(...(await drainIntoChain(db.connection, source)));
    const mine = entries.filter((entry) => (entry.subject as { docId: string }).docId === docId);
    expect(mine.map((entry) => entry.subject)).toEqual([
      { docId, docType: 'document', recordId: String(first._id), userCode: 'N001' },
      { docId, docType: 'document', recordId: String(second._id), userCode: 'N001' },
      { docId, docType: 'riskAssessment', recordId: String(risk._id), userCode: 'N001' },
    ]);
    expect(mine.every((entry) => entry.type === 'DocumentApplied' && entry.outcome === 'APPLIED')).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/-content|CN=Nurse/);
    for (const source of store.auditOutboxes()) expect(await drainIntoChain(db.connection, source)).toEqual([]);
  });
});
