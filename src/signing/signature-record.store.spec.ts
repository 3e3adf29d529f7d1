import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Model } from 'mongoose';
import type { VerifiedSignature } from '../ca/ca.types';
import { EventBus } from '../events';
import { recordEvents, startStoreDatabase, StoreDatabase } from '../../test/support/store-database';
import { CaExtendedData, CaExtendedDataSchema, StoredRecord } from './schemas/ca-extended-data.schema';
import { INTERRUPTED, NewRecord, SignatureRecordStore } from './signature-record.store';

const signature = {
  format: 'SM2_DER',
  signature: 'MIIBsig==',
  certificate: {
    der: Buffer.from('cert'),
    serialNumber: '0A1B',
    subject: 'CN=Nurse',
    issuer: 'CN=Test CA',
    notBefore: new Date('2026-01-01'),
    notAfter: new Date('2027-01-01'),
    keyAlgorithm: 'SM2',
    fingerprintSm3: 'f'.repeat(64),
  },
} satisfies VerifiedSignature;

describe(SignatureRecordStore.name, () => {
  let db: StoreDatabase;
  let model: Model<CaExtendedData>;
  let bus: EventBus;
  let store: SignatureRecordStore;
  let events: ReturnType<typeof recordEvents>;

  beforeAll(async () => {
    db = await startStoreDatabase();
    model = await db.model(CaExtendedData.name, CaExtendedDataSchema);
  });
  afterAll(() => db?.close());
  afterEach(() => jest.restoreAllMocks());
  beforeEach(() => {
    bus = new EventBus();
    store = new SignatureRecordStore(model, bus);
    events = recordEvents(bus);
  });

  const fields = (docId = randomUUID()): NewRecord => ({
    idempotencyKey: randomUUID(),
    userCode: 'N001',
    msspId: 'mssp-secret',
    provider: 'coss',
    docId,
    docType: 'document',
    signedContent: '{"id":"1"}',
    contentDigestSm3: 'd'.repeat(64),
    authorizationSignDataId: 'SD1',
  });
  const attempt = (leaseMs = 60_000) => ({ attemptId: randomUUID(), leaseUntil: new Date(Date.now() + leaseMs) });
  const types = async () => (await events.take()).map((event) => event.type);

  it('claim inserts a PENDING record once; a second claim of the same content only reads it', async () => {
    const record = fields();
    const first = attempt();
    const claimed = await store.claim(record, first);
    expect(claimed).toMatchObject({ mine: true, record: { status: 'PENDING', attemptId: first.attemptId } });
    const [event] = await events.take();
    expect(event).toMatchObject({ type: 'RecordClaimed', recordId: String(claimed.record._id), retaken: false });
    expect(JSON.stringify(event)).not.toContain('mssp-secret');

    const again = await store.claim(record, attempt());
    expect(again.mine).toBe(false);
    expect(again.record).toMatchObject({ _id: claimed.record._id, attemptId: first.attemptId });
    expect(await model.countDocuments({ idempotencyKey: record.idempotencyKey })).toBe(1);
    expect(await events.take()).toEqual([]);
  });

  it('markFailed fails an open attempt once; claim then retakes the FAILED record under a new attempt', async () => {
    const record = fields();
    const first = attempt();
    const { record: claimed } = await store.claim(record, first);
    await events.take();
    expect(await store.markFailed(claimed._id, first.attemptId, { type: 'VENDOR_UNAVAILABLE', message: 'down' })).toBe(
      true,
    );
    expect(await store.findById(claimed._id)).toMatchObject({
      status: 'FAILED',
      failure: { type: 'VENDOR_UNAVAILABLE' },
    });
    expect(await events.take()).toEqual([
      expect.objectContaining({ type: 'RecordFailed', failure: 'VENDOR_UNAVAILABLE' }),
    ]);
    expect(await store.markFailed(claimed._id, first.attemptId, { type: 'AGAIN', message: 'x' })).toBe(false);

    const second = attempt();
    const retaken = await store.claim(record, second);
    expect(retaken).toMatchObject({ mine: true, record: { status: 'PENDING', attemptId: second.attemptId } });
    expect(retaken.record.failure).toBeUndefined();
    expect(await events.take()).toEqual([expect.objectContaining({ type: 'RecordClaimed', retaken: true })]);
    expect(await store.retake(retaken.record, attempt())).toBeNull();
  });

  it('markSigned is refused to an attempt that another attempt has retaken, and to a record already signed', async () => {
    const record = fields();
    const first = attempt();
    const { record: claimed } = await store.claim(record, first);
    await store.markFailed(claimed._id, first.attemptId, { type: 'INTERRUPTED', message: 'lease ran out' });
    const second = attempt();
    await store.claim(record, second);
    await events.take();

    expect(await store.markSigned(claimed._id, first.attemptId, signature)).toBeNull();
    expect(await store.markFailed(claimed._id, first.attemptId, { type: 'LATE', message: 'late' })).toBe(false);
    expect(await types()).toEqual([]);

    const signed = await store.markSigned(claimed._id, second.attemptId, signature, 'vendor-job', 'app-1');
    expect(signed).toMatchObject({
      status: 'SIGNED',
      signFormat: 'SM2_DER',
      signResult: 'MIIBsig==',
      signCert: Buffer.from('cert').toString('base64'),
      certSerial: '0A1B',
      signDataId: 'vendor-job',
      appId: 'app-1',
      verification: { valid: true },
    });
    expect(await events.take()).toEqual([
      expect.objectContaining({ type: 'RecordSigned', recordId: String(claimed._id), certSerial: '0A1B' }),
    ]);
    expect(await store.markSigned(claimed._id, second.attemptId, signature)).toBeNull();
    expect(await store.markFailed(claimed._id, second.attemptId, { type: 'LATE', message: 'late' })).toBe(false);
    expect((await store.findById(claimed._id))!.status).toBe('SIGNED');
  });

  it('awaitScan moves only its own PENDING attempt to PENDING_SCAN; the poll lease goes to one caller per interval', async () => {
    const first = attempt();
    const { record } = await store.claim(fields(), first);
    const job = { signDataId: `job-${randomUUID()}`, qrCode: 'qr://x', expiresAt: new Date(Date.now() + 60_000) };
    expect(await store.awaitScan(record._id, randomUUID(), { ...job, expectedSignerSm3: 'f' })).toBeNull();
    await events.take();
    const pending = await store.awaitScan(record._id, first.attemptId, { ...job, expectedSignerSm3: 'f' });
    expect(pending).toMatchObject({ status: 'PENDING_SCAN', signDataId: job.signDataId, leaseUntil: job.expiresAt });
    expect(await types()).toEqual(['RecordAwaitingScan']);
    expect(await store.awaitScan(record._id, first.attemptId, { ...job, expectedSignerSm3: 'f' })).toBeNull();
    expect((await store.findBySignDataId(job.signDataId))!._id).toEqual(record._id);

    const leased = await store.lease(pending!, 60_000);
    expect(leased!.nextPollAt!.getTime()).toBeGreaterThan(Date.now());
    expect(await store.lease(pending!, 60_000)).toBeNull();
    expect(await store.lease(leased!, 60_000)).toBeNull();

    expect(await store.markSigned(record._id, first.attemptId, signature)).toMatchObject({ status: 'SIGNED' });
    expect(await store.lease({ ...leased!, nextPollAt: new Date(0) }, 60_000)).toBeNull();
  });

  it('failInterrupted fails every open attempt whose lease ran out, and only those', async () => {
    const expired = await store.claim(fields(), attempt(-1000));
    const scanning = await store.claim(fields(), attempt());
    const job = {
      signDataId: `job-${randomUUID()}`,
      qrCode: 'qr',
      expiresAt: new Date(Date.now() - 1),
      expectedSignerSm3: 'f',
    };
    await store.awaitScan(scanning.record._id, scanning.record.attemptId, job);
    const fresh = await store.claim(fields(), attempt());
    await events.take();

    expect(await store.failInterrupted(new Date())).toBe(2);
    for (const { record } of [expired, scanning]) {
      expect(await store.findById(record._id)).toMatchObject({ status: 'FAILED', failure: INTERRUPTED });
    }
    expect((await store.findById(fresh.record._id))!.status).toBe('PENDING');
    expect(await types()).toEqual(['RecordFailed', 'RecordFailed']);
    expect(await store.failInterrupted(new Date())).toBe(0);
  });

  it('markApplied takes a signed record off the unapplied list; recordCheck keeps the last check in the schema', async () => {
    const { record } = await store.claim(fields(), attempt());
    await store.markSigned(record._id, record.attemptId, signature);
    expect((await store.listUnapplied()).map((r) => String(r._id))).toContain(String(record._id));
    await store.markApplied(record._id);
    expect((await store.listUnapplied()).map((r) => String(r._id))).not.toContain(String(record._id));

    await events.take();
    const checkedAt = new Date();
    await store.recordCheck(record._id, { valid: false, reason: 'CONTENT_DIGEST_MISMATCH' }, checkedAt);
    const raw = await model.collection.findOne({ _id: record._id });
    expect(raw!.lastCheck).toEqual({ valid: false, reason: 'CONTENT_DIGEST_MISMATCH', checkedAt });
    expect(CaExtendedDataSchema.path('lastCheck')).toBeDefined();
    expect(await events.take()).toEqual([
      expect.objectContaining({ type: 'RecordChecked', recordId: String(record._id), valid: false }),
    ]);
  });

  it('lists the records of a document newest first', async () => {
    const docId = randomUUID();
    const older = await store.claim(fields(docId), attempt());
    const newer = await store.claim(fields(docId), attempt());
    const listed: StoredRecord[] = await store.listForDocument(docId, 'document');
    expect(listed.map((r) => String(r._id))).toEqual([String(newer.record._id), String(older.record._id)]);
  });

  it('a throwing event listener does not undo or break the transition', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    bus.onAny(() => {
      throw new Error('listener bug');
    });
    const { record } = await store.claim(fields(), attempt());
    expect(await store.markSigned(record._id, record.attemptId, signature)).toMatchObject({ status: 'SIGNED' });
    await events.take();
    expect(bus.listenerFailures).toBe(2);
    expect((await store.findById(record._id))!.status).toBe('SIGNED');
  });
});
