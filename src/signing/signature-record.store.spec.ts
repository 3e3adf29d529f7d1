import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { drainIntoChain } from '../../test/support/audit-chain';
import { describeStore, STORED_SIGNATURE } from '../../test/support/store-database';
import { AuditLogStore } from '../evidence/audit/audit-log.store';
import { AuditOutboxDrain } from '../evidence/audit/audit-outbox.drain';
import { loadAuditConfig } from '../evidence/audit/audit.config';
import { CaExtendedData, CaExtendedDataSchema, StoredRecord } from './schemas/ca-extended-data.schema';
import { INTERRUPTED, NewRecord, SignatureRecordStore } from './signature-record.store';

const signature = STORED_SIGNATURE;
const TSA_TIMEOUT_MS = 5_000;

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

describe(SignatureRecordStore.name, () => {
  const spec = describeStore(
    CaExtendedData.name,
    CaExtendedDataSchema,
    (model, bus) => new SignatureRecordStore(model, bus),
  );

  const attempt = (leaseMs = 60_000) => ({ attemptId: randomUUID(), leaseUntil: new Date(Date.now() + leaseMs) });
  const types = async () => (await spec.events.take()).map((event) => event.type);

  it('claim inserts a PENDING record once; a second claim of the same content only reads it', async () => {
    const record = fields();
    const first = attempt();
    const claimed = await spec.store.claim(record, first);
    expect(claimed).toMatchObject({ mine: true, record: { status: 'PENDING', attemptId: first.attemptId } });
    const [event] = await spec.events.take();
    expect(event).toMatchObject({ type: 'RecordClaimed', recordId: String(claimed.record._id), retaken: false });
    expect(JSON.stringify(event)).not.toContain('mssp-secret');

    const again = await spec.store.claim(record, attempt());
    expect(again.mine).toBe(false);
    expect(again.record).toMatchObject({ _id: claimed.record._id, attemptId: first.attemptId });
    expect(await spec.model.countDocuments({ idempotencyKey: record.idempotencyKey })).toBe(1);
    expect(await spec.events.take()).toEqual([]);
  });

  it('markFailed fails an open attempt once; claim then retakes the FAILED record under a new attempt', async () => {
    const record = fields();
    const first = attempt();
    const { record: claimed } = await spec.store.claim(record, first);
    await spec.events.take();
    expect(
      await spec.store.markFailed(claimed._id, first.attemptId, { type: 'VENDOR_UNAVAILABLE', message: 'down' }),
    ).toBe(true);
    expect(await spec.store.findById(claimed._id)).toMatchObject({
      status: 'FAILED',
      failure: { type: 'VENDOR_UNAVAILABLE' },
    });
    expect(await spec.events.take()).toEqual([
      expect.objectContaining({ type: 'RecordFailed', failure: 'VENDOR_UNAVAILABLE' }),
    ]);
    expect(await spec.store.markFailed(claimed._id, first.attemptId, { type: 'AGAIN', message: 'x' })).toBe(false);

    const second = attempt();
    const retaken = await spec.store.claim(record, second);
    expect(retaken).toMatchObject({ mine: true, record: { status: 'PENDING', attemptId: second.attemptId } });
    expect(retaken.record.failure).toBeUndefined();
    expect(await spec.events.take()).toEqual([expect.objectContaining({ type: 'RecordClaimed', retaken: true })]);
    expect(await spec.store.retake(retaken.record, attempt())).toBeNull();
  });

  it('markSigned is refused to an attempt that another attempt has retaken, and to a record already signed', async () => {
    const record = fields();
    const first = attempt();
    const { record: claimed } = await spec.store.claim(record, first);
    await spec.store.markFailed(claimed._id, first.attemptId, { type: 'INTERRUPTED', message: 'lease ran out' });
    const second = attempt();
    await spec.store.claim(record, second);
    await spec.events.take();

    expect(await spec.store.markSigned(claimed._id, first.attemptId, signature)).toBeNull();
    expect(await spec.store.markFailed(claimed._id, first.attemptId, { type: 'LATE', message: 'late' })).toBe(false);
    expect(await types()).toEqual([]);

    const signed = await spec.store.markSigned(claimed._id, second.attemptId, signature, 'vendor-job', 'app-1');
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
    expect(await spec.events.take()).toEqual([
      expect.objectContaining({ type: 'RecordSigned', recordId: String(claimed._id), certSerial: '0A1B' }),
    ]);
    expect(await spec.store.markSigned(claimed._id, second.attemptId, signature)).toBeNull();
    expect(await spec.store.markFailed(claimed._id, second.attemptId, { type: 'LATE', message: 'late' })).toBe(false);
    expect((await spec.store.findById(claimed._id))!.status).toBe('SIGNED');
  });

  it('awaitScan moves only its own PENDING attempt to PENDING_SCAN; the poll lease goes to one caller per interval', async () => {
    const first = attempt();
    const { record } = await spec.store.claim(fields(), first);
    const job = {
      signDataId: `job-${randomUUID()}`,
      jobHandleHash: `h-${randomUUID()}`,
      qrCode: 'qr://x',
      expiresAt: new Date(Date.now() + 60_000),
    };
    expect(await spec.store.awaitScan(record._id, randomUUID(), { ...job, expectedSignerSm3: 'f' })).toBeNull();
    await spec.events.take();
    const pending = await spec.store.awaitScan(record._id, first.attemptId, { ...job, expectedSignerSm3: 'f' });
    expect(pending).toMatchObject({ status: 'PENDING_SCAN', signDataId: job.signDataId, leaseUntil: job.expiresAt });
    expect(await types()).toEqual(['RecordAwaitingScan']);
    expect(await spec.store.awaitScan(record._id, first.attemptId, { ...job, expectedSignerSm3: 'f' })).toBeNull();
    expect((await spec.store.findByJobHandle(job.jobHandleHash))!._id).toEqual(record._id);
    expect(await spec.store.findByJobHandle(job.signDataId)).toBeNull();

    const leased = await spec.store.lease(pending!, 60_000);
    expect(leased!.nextPollAt!.getTime()).toBeGreaterThan(Date.now());
    expect(await spec.store.lease(pending!, 60_000)).toBeNull();
    expect(await spec.store.lease(leased!, 60_000)).toBeNull();

    expect(await spec.store.markSigned(record._id, first.attemptId, signature)).toMatchObject({ status: 'SIGNED' });
    expect(await spec.store.lease({ ...leased!, nextPollAt: new Date(0) }, 60_000)).toBeNull();
  });

  it('failInterrupted fails every open attempt whose lease ran out, and only those', async () => {
    const expired = await spec.store.claim(fields(), attempt(-1000));
    const scanning = await spec.store.claim(fields(), attempt());
    const job = {
      signDataId: `job-${randomUUID()}`,
      jobHandleHash: `h-${randomUUID()}`,
      qrCode: 'qr',
      expiresAt: new Date(Date.now() - 1),
      expectedSignerSm3: 'f',
    };
    await spec.store.awaitScan(scanning.record._id, scanning.record.attemptId, job);
    const fresh = await spec.store.claim(fields(), attempt());
    await spec.events.take();

    expect(await spec.store.failInterrupted(new Date())).toBe(2);
    for (const { record } of [expired, scanning]) {
      expect(await spec.store.findById(record._id)).toMatchObject({ status: 'FAILED', failure: INTERRUPTED });
    }
    expect((await spec.store.findById(fresh.record._id))!.status).toBe('PENDING');
    expect(await types()).toEqual(['RecordFailed', 'RecordFailed']);
    expect(await spec.store.failInterrupted(new Date())).toBe(0);
  });

  it('markApplied takes a signed record off the unapplied list; recordCheck keeps the last check in the schema', async () => {
    const { record } = await spec.store.claim(fields(), attempt());
    await spec.store.markSigned(record._id, record.attemptId, signature);
    expect((await spec.store.listUnapplied()).map((r) => String(r._id))).toContain(String(record._id));
    await spec.store.markApplied(record._id);
    expect((await spec.store.listUnapplied()).map((r) => String(r._id))).not.toContain(String(record._id));

    await spec.events.take();
    const checkedAt = new Date();
    await spec.store.recordCheck(record._id, { valid: false, reason: 'CONTENT_DIGEST_MISMATCH' }, checkedAt);
    const raw = await spec.model.collection.findOne({ _id: record._id });
    expect(raw!.lastCheck).toEqual({ valid: false, reason: 'CONTENT_DIGEST_MISMATCH', checkedAt });
    expect(CaExtendedDataSchema.path('lastCheck')).toBeDefined();
    expect(await spec.events.take()).toEqual([
      expect.objectContaining({ type: 'RecordChecked', recordId: String(record._id), valid: false }),
    ]);
  });

  it('lists the records of a document newest first', async () => {
    const docId = randomUUID();
    const older = await spec.store.claim(fields(docId), attempt());
    const newer = await spec.store.claim(fields(docId), attempt());
    const listed: StoredRecord[] = await spec.store.listForDocument(docId, 'document');
    expect(listed.map((r) => String(r._id))).toEqual([String(newer.record._id), String(older.record._id)]);
  });

  it('a throwing event listener does not undo or break the transition', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    spec.bus.onAny(() => {
      throw new Error('listener bug');
    });
    const { record } = await spec.store.claim(fields(), attempt());
    expect(await spec.store.markSigned(record._id, record.attemptId, signature)).toMatchObject({ status: 'SIGNED' });
    await spec.events.take();
    expect(spec.bus.listenerFailures).toBe(2);
    expect((await spec.store.findById(record._id))!.status).toBe('SIGNED');
  });
});

describe(`${SignatureRecordStore.name} audit outbox`, () => {
  const spec = describeStore(
    CaExtendedData.name,
    CaExtendedDataSchema,
    (model, bus) => new SignatureRecordStore(model, bus),
  );
  const newRecord = (): NewRecord => ({
    idempotencyKey: randomUUID(),
    userCode: 'N001',
    msspId: 'mssp-secret',
    provider: 'coss',
    docId: randomUUID(),
    docType: 'document',
    signedContent: '{"id":"1"}',
    contentDigestSm3: 'd'.repeat(64),
    authorizationSignDataId: 'SD1',
  });
  const attempt = (leaseMs = 60_000) => ({ attemptId: randomUUID(), leaseUntil: new Date(Date.now() + leaseMs) });

  it('writes each transition’s audit item in the transition’s own update; a drain after a crash appends each once', async () => {
    const chain = AuditLogStore.onConnection(spec.db.connection, loadAuditConfig({}));
    await chain.onModuleInit();
    const first = attempt();
    const { record } = await spec.store.claim(newRecord(), first);
    await spec.store.markSigned(record._id, first.attemptId, signature);
    const stale = await spec.store.markFailed(record._id, first.attemptId, INTERRUPTED);
    expect(stale).toBe(false);
    // The process "dies" here: both transitions are committed, no drain has run.
    const stored = await spec.model.findById(record._id).lean<StoredRecord>();
    expect(stored!.auditOutbox!.map((item) => item.entry.type)).toEqual(['RecordClaimed', 'RecordSigned']);
    expect(JSON.stringify(stored!.auditOutbox)).not.toContain('mssp-secret');

    const drain = new AuditOutboxDrain(chain);
    expect(await drain.drain(spec.store.auditOutbox())).toBe(2);
    expect(await drain.drain(spec.store.auditOutbox())).toBe(0);
    const entries = [];
    for await (const entry of chain.range()) entries.push(entry);
    expect(entries).toMatchObject([
      { seq: 1, type: 'RecordClaimed', subject: { recordId: String(record._id), userCode: 'N001', vendor: 'coss' } },
      { seq: 2, type: 'RecordSigned', outcome: 'SIGNED', subject: { recordId: String(record._id) } },
    ]);
    expect((await spec.model.findById(record._id).lean<StoredRecord>())!.auditOutbox).toEqual([]);
  });

  it('gives every record its own entry when one sweep update fails several', async () => {
    const chain = AuditLogStore.onConnection(spec.db.connection, loadAuditConfig({}));
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(String((await spec.store.claim(newRecord(), attempt(-1))).record._id));
    expect(await spec.store.failInterrupted(new Date())).toBe(3);
    const before = await chain.head();
    await new AuditOutboxDrain(chain).drain(spec.store.auditOutbox());
    const failed = [];
    for await (const entry of chain.range((before?.seq ?? 0) + 1))
      if (entry.type === 'RecordFailed') failed.push(entry);
    expect(failed.map((entry) => (entry.subject as { recordId: string }).recordId).sort()).toEqual(ids.sort());
    expect(failed.every((entry) => entry.outcome === 'INTERRUPTED')).toBe(true);
  });
});

describe(`${SignatureRecordStore.name} timestamps`, () => {
  const spec = describeStore(
    CaExtendedData.name,
    CaExtendedDataSchema,
    (model, bus) => new SignatureRecordStore(model, bus, { disabled: false, timeoutMs: TSA_TIMEOUT_MS }),
  );
  const token = {
    tokenDer: Buffer.from('token-der'),
    genTime: new Date('2026-11-30T10:00:00.000Z'),
    serialNumber: '01',
    policy: '1.2.3',
    tsaSubject: 'CN=TSA',
    tsaCertificateSm3: 'e'.repeat(64),
    hashAlgorithm: 'sm3' as const,
  };
  const signedRecord = async () => {
    const attemptId = randomUUID();
    const { record } = await spec.store.claim(fields(), { attemptId, leaseUntil: new Date(Date.now() + 60_000) });
    return (await spec.store.markSigned(record._id, attemptId, STORED_SIGNATURE))!;
  };

  it('markSigned sets a PENDING timestamp claimed for its stamper in the same transition; disabled, there is none', async () => {
    const signed = await signedRecord();
    expect(signed.timestamp).toMatchObject({
      status: 'PENDING',
      attempts: 0,
      claimId: expect.any(String),
      nextAttemptAt: new Date(signed.signedAt!.getTime() + TSA_TIMEOUT_MS + 30_000),
    });
    const [, event] = await spec.events.take();
    expect(event).toMatchObject({
      type: 'RecordSigned',
      timestampClaim: { claimId: signed.timestamp!.claimId, signResult: STORED_SIGNATURE.signature },
    });
    // Held by that claim: no sweep takes it before the lease runs out.
    expect(await spec.store.claimTimestamp(new Date(), 60_000)).toBeNull();
    const off = new SignatureRecordStore(spec.model, spec.bus, { disabled: true, timeoutMs: TSA_TIMEOUT_MS });
    const { _id, timestamp, status, ...fields } = signed;
    expect([timestamp?.status, status]).toEqual(['PENDING', 'SIGNED']);
    const { record } = await off.claim(
      { ...fields, idempotencyKey: String(_id) },
      { attemptId: 'a', leaseUntil: new Date(Date.now() + 60_000) },
    );
    expect((await off.markSigned(record._id, 'a', STORED_SIGNATURE))!.timestamp).toBeUndefined();
    const [, offEvent] = await spec.events.take();
    expect(offEvent).toMatchObject({ type: 'RecordSigned' });
    expect(offEvent).not.toHaveProperty('timestampClaim');
  });

  it('one claimer at a time holds a due timestamp; a lost claim cannot settle it; GRANTED keeps the token', async () => {
    const signed = await signedRecord();
    await spec.events.take();
    const first = { claimId: signed.timestamp!.claimId! };
    expect(await spec.store.claimTimestamp(new Date(), 60_000, signed._id)).toBeNull();

    const failure = { reason: 'UNREACHABLE' as const, message: 'TSA unreachable' };
    const due = new Date(0); // the oldest due timestamp, so the sweep's claim below takes it first
    expect(await spec.store.markTimestampFailed(signed._id, first!.claimId, 'PENDING', failure, due)).toBe(true);
    expect(await spec.store.markTimestamped(signed._id, first!.claimId, token)).toBe(false);
    expect(await spec.events.take()).toEqual([
      expect.objectContaining({ type: 'TimestampFailed', status: 'PENDING', reason: 'UNREACHABLE', attempts: 1 }),
    ]);

    const second = await spec.store.claimTimestamp(new Date(), 60_000);
    expect(String(second!.record._id)).toBe(String(signed._id));
    expect(await spec.store.markTimestamped(signed._id, second!.claimId, token)).toBe(true);
    const stored = await spec.store.findById(signed._id);
    expect(stored!.timestamp).toMatchObject({
      status: 'GRANTED',
      attempts: 2,
      token: token.tokenDer.toString('base64'),
      genTime: token.genTime,
      tsaSubject: 'CN=TSA',
      hashAlgorithm: 'sm3',
    });
    expect(stored!.timestamp!.claimId).toBeUndefined();
    expect(await spec.events.take()).toEqual([
      expect.objectContaining({ type: 'TimestampGranted', recordId: String(signed._id), genTime: token.genTime }),
    ]);
    expect(await spec.store.claimTimestamp(new Date(Date.now() + 3_600_000), 60_000, signed._id)).toBeNull();
    // Both timestamp transitions wrote their audit item in their own update; the lost claim wrote none.
    const audited = await drainIntoChain(spec.db.connection, spec.store.auditOutbox());
    expect(
      audited
        .filter((entry) => (entry.subject as { recordId: string }).recordId === String(signed._id))
        .map((entry) => `${entry.type}:${entry.outcome}`),
    ).toEqual([
      'RecordClaimed:PENDING',
      'RecordSigned:SIGNED',
      'TimestampFailed:PENDING:UNREACHABLE',
      'TimestampGranted:GRANTED',
    ]);
    expect(JSON.stringify(audited)).not.toContain('TSA unreachable');
  });

  it('a claim whose lease ran out is due again; a FAILED timestamp waits for its next attempt', async () => {
    const signed = await signedRecord();
    const afterLease = signed.timestamp!.nextAttemptAt!.getTime();
    const lost = await spec.store.claimTimestamp(new Date(afterLease + 1), 1_000, signed._id);
    const retaken = await spec.store.claimTimestamp(new Date(afterLease + 2_000), 60_000, signed._id);
    expect(retaken!.claimId).not.toBe(lost!.claimId);
    const failure = { reason: 'BAD_SIGNATURE' as const, message: 'bad' };
    const later = new Date(Date.now() + 60_000);
    expect(await spec.store.markTimestampFailed(signed._id, lost!.claimId, 'FAILED', failure, later)).toBe(false);
    expect(await spec.store.markTimestampFailed(signed._id, retaken!.claimId, 'FAILED', failure, later)).toBe(true);
    expect(await spec.store.claimTimestamp(new Date(), 60_000, signed._id)).toBeNull();
    expect(await spec.store.claimTimestamp(new Date(later.getTime() + 1), 60_000, signed._id)).not.toBeNull();
  });
});
