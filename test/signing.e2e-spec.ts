import { setTimeout as sleep } from 'node:timers/promises';
import { Types } from 'mongoose';
import request from 'supertest';
import { SEED_COSS_APP_ID } from '../src/ca/vendors/coss/coss.config';
import { sm2Sign, sm3Hex } from '../src/crypto';
import { canonicalJson } from '../src/signing/canonical-json';
import { CossSimulator } from '../src/simulators/coss/coss-simulator';
import { LoggedInNurse, loginWithCoss } from './support/coss-login';
import { itWhen } from './support/engine';
import { startTestApp, TestApp } from './support/test-app';
import { byHandle } from './support/handles';

describe('Nursing document signing (COSS)', () => {
  let sim: CossSimulator;
  let t: TestApp;
  let n1: LoggedInNurse;
  let n2: LoggedInNurse;
  let seq = 0;
  const nextId = () => `DOC-${Date.now()}-${++seq}`;
  const records = () => t.connection.collection('caExtendedData');
  const documents = () => t.connection.collection('nursingDocuments');

  beforeAll(async () => {
    sim = await CossSimulator.start({ port: 0 });
    t = await startTestApp({
      COSS_BASE_URL: sim.url,
      CA_PROVIDERS: 'coss',
      CA_POLL_INTERVAL_MS: '100',
      COSS_TIMEOUT_MS: '500',
    });
    n1 = await loginWithCoss(t, sim, 'N101');
    n2 = await loginWithCoss(t, sim, 'N102');
  });
  afterAll(async () => {
    await t.close();
    await sim.stop();
  });
  afterEach(() => sim.faults.clear());

  const isSame = (userCode: string, body: object) =>
    request(t.http).post(`/WRMSMnis/doc/ca/isSameCaUser/${userCode}`).send(body);
  const sign = (nurse: LoggedInNurse, docData: unknown, extra: object = {}) =>
    request(t.http)
      .post('/windranger/doc/ca/signDocWithCa')
      .send({
        caIdentityParamsMap: { accessToken: nurse.msspId, signDataId: nurse.signDataId },
        docData,
        type: 'document',
        userCode: nurse.userCode,
        ...extra,
      });

  it('runs the seed flow: isSameCaUser false, signDocWithCa, a verified record in caExtendedData', async () => {
    const same = await isSame(n1.userCode, { accessToken: n1.msspId, signDataId: n1.signDataId });
    expect(same.status).toBe(200);
    expect(same.body).toEqual({ code: 200, message: 'OK', data: false });

    const id = nextId();
    sim.clearRequests();
    const res = await sign(n1, { id, patientId: 'P-9', temperature: 36.8, note: '夜班巡视，患者安睡' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      code: 200,
      message: 'OK',
      data: { docId: id, type: 'document', status: 'SIGNED' },
    });
    const { recordId, signDataId, signedAt } = res.body.data;
    expect(signDataId).toMatch(/^SD_/);
    expect(new Date(signedAt).getTime()).toBeLessThanOrEqual(Date.now());

    // The vendor is asked with the nurse's own user id, which the PC never sees.
    const vendorUserId = (await t.connection.collection('caAuthorizations').findOne(byHandle(n1.signDataId)))!.msspId;
    const [call] = sim.requests('autoSign');
    expect(call).toMatchObject({ userId: vendorUserId, appId: SEED_COSS_APP_ID });
    const record = await records().findOne({ _id: new Types.ObjectId(recordId) });
    expect(record).toMatchObject({
      status: 'SIGNED',
      userCode: 'N101',
      msspId: vendorUserId,
      provider: 'coss',
      docId: id,
      docType: 'document',
      signDataId,
      appId: SEED_COSS_APP_ID,
      signFormat: 'SM2_DER',
      verification: { valid: true },
      documentApplied: true,
    });
    expect(Buffer.from(String(call.data), 'base64').toString('utf8')).toBe(record!.signedContent);
    // Version 2: the RFC 8785 envelope binds type, id, signer, record and claim time to the content.
    expect(record).toMatchObject({ envelopeVersion: 2, claimedAt: expect.any(Date) });
    expect(record!.signedContent).toBe(
      `{"claimedAt":"${record!.claimedAt.toISOString()}",` +
        `"content":{"id":"${id}","note":"夜班巡视，患者安睡","patientId":"P-9","temperature":36.8},` +
        `"docId":"${id}","docType":"document","recordId":"${recordId}","userCode":"N101","v":2}`,
    );
    expect(record!.contentDigestSm3).toBe(
      sm3Hex(Buffer.from(`{"id":"${id}","note":"夜班巡视，患者安睡","patientId":"P-9","temperature":36.8}`)),
    );
    expect(record!.certSerial).toEqual(expect.any(String));
    expect(record!.certSubject).toContain('CN=');
    expect(record!.signCert).toEqual(expect.any(String));

    const doc = await request(t.http).get(`/windranger/doc/document/${id}`);
    expect(doc.status).toBe(200);
    expect(doc.body.data).toMatchObject({
      docId: id,
      type: 'document',
      content: { temperature: 36.8 },
      signature: { status: 'SIGNED', recordId, userCode: 'N101' },
    });

    const list = await request(t.http).get('/windranger/doc/ca/records').query({ docId: id, type: 'document' });
    expect(list.body.data.map((r: { recordId: string }) => r.recordId)).toEqual([recordId]);
    const verified = await request(t.http).post(`/windranger/doc/ca/records/${recordId}/verify`);
    expect(verified.body.data).toMatchObject({ recordId, valid: true });
  });

  it('accepts docData as a JSON string and risk assessments, stored in their own collection', async () => {
    const id = nextId();
    const res = await sign(n1, JSON.stringify({ id, braden: 14, level: 'high' }), { type: 'riskAssessment' });
    expect(res.status).toBe(200);
    expect(
      await t.connection.collection('riskAssessments').countDocuments({ docId: id, 'signature.status': 'SIGNED' }),
    ).toBe(1);
    expect(await documents().countDocuments({ docId: id })).toBe(0);
  });

  it('accepts a form-encoded request with nested caIdentityParamsMap fields', async () => {
    const id = nextId();
    const form = new URLSearchParams({
      'caIdentityParamsMap[accessToken]': n1.msspId,
      'caIdentityParamsMap[signDataId]': n1.signDataId,
      docData: JSON.stringify({ id, pulse: 72 }),
      type: 'document',
      userCode: 'N101',
    });
    const res = await request(t.http).post('/windranger/doc/ca/signDocWithCa').type('form').send(form.toString());
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('SIGNED');
  });

  it('refuses a bad type, bad docData and missing fields with 400 naming them', async () => {
    const badType = await sign(n1, { id: nextId() }, { type: 'prescription' }).set('accept-language', 'en');
    expect(badType.status).toBe(400);
    expect(badType.body.message).toContain('type must be one of: document, riskAssessment');
    const noId = await sign(n1, { temperature: 1 });
    expect(noId.status).toBe(400);
    expect(noId.body.message).toContain('docData.id');
    const notJson = await sign(n1, '{not json');
    expect(notJson.status).toBe(400);
    expect(notJson.body.message).toContain('docData');
    const noToken = await request(t.http)
      .post('/windranger/doc/ca/signDocWithCa')
      .send({ caIdentityParamsMap: {}, docData: { id: 'x' }, type: 'document' });
    expect(noToken.status).toBe(400);
    expect(noToken.body.message).toContain('caIdentityParamsMap.accessToken');
    const isSameBad = await isSame('N101', { accessToken: n1.msspId });
    expect(isSameBad.status).toBe(400);
    expect(isSameBad.body.message).toContain('signDataId');
  });

  it('tells the PC to rescan (isSameCaUser true) for an unknown pair or another user', async () => {
    expect((await isSame('N101', { accessToken: n1.msspId, signDataId: n2.signDataId })).body.data).toBe(true);
    expect((await isSame('N101', { accessToken: 'f'.repeat(64), signDataId: n1.signDataId })).body.data).toBe(true);
    expect((await isSame('N999', { accessToken: n1.msspId, signDataId: n1.signDataId })).body.data).toBe(true);
    expect((await isSame('N101', { accessToken: n1.msspId, signDataId: n1.signDataId })).body.data).toBe(false);
  });

  it("never lets a nurse sign with another nurse's authorization (403)", async () => {
    const id = nextId();
    sim.clearRequests();
    const res = await request(t.http)
      .post('/windranger/doc/ca/signDocWithCa')
      .send({
        caIdentityParamsMap: { accessToken: n1.msspId, signDataId: n1.signDataId },
        docData: { id },
        type: 'document',
        userCode: 'N102',
      });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 403, error: { type: 'FORBIDDEN' } });
    expect(sim.requests('autoSign')).toHaveLength(0);
    expect(await records().countDocuments({ docId: id })).toBe(0);
  });

  it('binds an unbound authorization to the first user code that uses it', async () => {
    const started = await request(t.http).post('/coss/service/v1/startAutoSign').send({ timeRegion: 60 });
    const { signDataId, qrCode } = started.body.data;
    const scan = await sim.phone.scan(qrCode, 'N103');
    expect(scan.ok).toBe(true);
    await sleep(150);
    const { msspId } = (await request(t.http).post('/coss/service/v1/getSignResult').send({ signDataId })).body.data;
    expect((await isSame('N103', { accessToken: msspId, signDataId })).body.data).toBe(false);
    expect((await isSame('N104', { accessToken: msspId, signDataId })).body.data).toBe(true);
    expect((await t.connection.collection('caAuthorizations').findOne(byHandle(signDataId)))!.userCode).toBe('N103');
  });

  it('refuses an expired or ended authorization with a rescan answer, and isSameCaUser says true', async () => {
    const n = await loginWithCoss(t, sim, 'N105');
    await t.connection
      .collection('caAuthorizations')
      .updateOne(byHandle(n.signDataId), { $set: { authorizedUntil: new Date(Date.now() - 1000) } });
    expect((await isSame('N105', { accessToken: n.msspId, signDataId: n.signDataId })).body.data).toBe(true);
    const res = await sign(n, { id: nextId() });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 401, error: { type: 'RESCAN_REQUIRED', reason: 'EXPIRED', rescan: true } });

    const m = await loginWithCoss(t, sim, 'N106');
    await request(t.http).post('/coss/service/v1/endAutoSign').send({ userId: m.msspId });
    expect((await isSame('N106', { accessToken: m.msspId, signDataId: m.signDataId })).body.data).toBe(true);
    expect((await sign(m, { id: nextId() })).body.error).toMatchObject({ type: 'RESCAN_REQUIRED', reason: 'ENDED' });
  });

  it.each([
    ['down', { kind: 'drop' as const }, 502, 'VENDOR_UNAVAILABLE'],
    ['answering HTTP 503', { kind: 'http-error' as const, status: 503 }, 502, 'VENDOR_BAD_RESPONSE'],
    ['timing out', { kind: 'timeout' as const, delayMs: 2000 }, 504, 'VENDOR_TIMEOUT'],
    ['refusing', { kind: 'error' as const, status: 89004003 }, 502, 'VENDOR_USER_INACTIVE'],
    ['returning a wrong signature', { kind: 'wrong-signature' as const }, 502, 'SIGNATURE_REJECTED'],
  ])('marks nothing signed when the vendor is %s', async (_name, fault, status, type) => {
    const id = nextId();
    sim.faults.add({ operation: 'autoSign', ...fault });
    const res = await sign(n1, { id, temperature: 37.2 });
    expect(res.status).toBe(status);
    expect(res.body.error.type).toBe(type);
    expect(await documents().countDocuments({ docId: id })).toBe(0);
    const attempts = await records().find({ docId: id }).toArray();
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ status: 'FAILED', failure: { type } });
    expect(attempts[0].signResult).toBeUndefined();

    sim.faults.clear();
    const retried = await sign(n1, { id, temperature: 37.2 });
    expect(retried.status).toBe(200);
    expect(retried.body.data.recordId).toBe(String(attempts[0]._id));
    expect(await documents().countDocuments({ docId: id, 'signature.status': 'SIGNED' })).toBe(1);
  });

  it('keeps the previously signed content when a new version fails to sign', async () => {
    const id = nextId();
    expect((await sign(n1, { id, v: 1 })).status).toBe(200);
    sim.faults.add({ operation: 'autoSign', kind: 'drop' });
    expect((await sign(n1, { id, v: 2 })).status).toBe(502);
    const doc = await request(t.http).get(`/windranger/doc/document/${id}`);
    expect(doc.body.data.content).toEqual({ id, v: 1 });
    expect(doc.body.data.signature.status).toBe('SIGNED');
  });

  it('returns the existing record when the same content is signed again by the same user', async () => {
    const id = nextId();
    const first = await sign(n1, { id, a: 1, b: 2 });
    sim.clearRequests();
    const again = await sign(n1, { b: 2, a: 1, id });
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(first.body.data);
    expect(sim.requests('autoSign')).toHaveLength(0);
    const changed = await sign(n1, { id, a: 1, b: 3 });
    expect(changed.body.data.recordId).not.toBe(first.body.data.recordId);
    const list = await request(t.http).get('/windranger/doc/ca/records').query({ docId: id, type: 'document' });
    expect(list.body.data.map((r: { recordId: string }) => r.recordId)).toEqual([
      changed.body.data.recordId,
      first.body.data.recordId,
    ]);
  });

  itWhen('uniqueIndexes')('produces one record for 20 concurrent identical submissions', async () => {
    const id = nextId();
    sim.clearRequests();
    sim.setLatency(100);
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => sign(n1, { id, shift: 'night' })));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      expect(new Set(answers.map((a) => a.body.data.recordId)).size).toBe(1);
      expect(await records().countDocuments({ docId: id })).toBe(1);
      expect(sim.requests('autoSign')).toHaveLength(1);
    } finally {
      sim.setLatency(0);
    }
  });

  it('detects a record edited in the database', async () => {
    const id = nextId();
    const { recordId } = (await sign(n1, { id, dose: '5mg' })).body.data;
    const _id = new Types.ObjectId(recordId);
    const verify = async () => (await request(t.http).post(`/windranger/doc/ca/records/${recordId}/verify`)).body.data;
    expect(await verify()).toMatchObject({ valid: true });

    const original = (await records().findOne({ _id }))!;
    await records().updateOne({ _id }, { $set: { signedContent: original.signedContent.replace('5mg', '50mg') } });
    expect(await verify()).toMatchObject({ valid: false, reason: 'CONTENT_DIGEST_MISMATCH' });

    const forged = original.signedContent.replace('5mg', '50mg');
    await records().updateOne(
      { _id },
      {
        $set: {
          signedContent: forged,
          contentDigestSm3: sm3Hex(Buffer.from(canonicalJson(JSON.parse(forged).content))),
        },
      },
    );
    expect(await verify()).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });

    const other = (await records().findOne({ docId: { $ne: id }, status: 'SIGNED', userCode: n1.userCode }))!;
    await records().updateOne(
      { _id },
      {
        $set: {
          signedContent: original.signedContent,
          contentDigestSm3: original.contentDigestSm3,
          signResult: other.signResult,
        },
      },
    );
    expect(await verify()).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });

    await records().updateOne({ _id }, { $set: { signResult: original.signResult } });
    expect(await verify()).toMatchObject({ valid: true });
  });

  const verifyRecord = async (recordId: unknown) =>
    (await request(t.http).post(`/windranger/doc/ca/records/${String(recordId)}/verify`)).body.data;

  it('binds a signature to its document: moved onto another document with the same content, it fails', async () => {
    const id = nextId();
    const content = { id, dose: '5mg' };
    const asDocument = (await sign(n1, content)).body.data.recordId;
    const asAssessment = (await sign(n1, content, { type: 'riskAssessment' })).body.data.recordId;
    const [a, b] = await Promise.all(
      [asDocument, asAssessment].map((recordId) => records().findOne({ _id: new Types.ObjectId(recordId) })),
    );
    expect(JSON.parse(a!.signedContent).content).toEqual(JSON.parse(b!.signedContent).content);
    expect(await verifyRecord(asAssessment)).toMatchObject({ valid: true });

    // Under version 1 the same content gave the same bytes, so this signature verified on either document.
    await records().updateOne({ _id: b!._id }, { $set: { signResult: a!.signResult } });
    expect(await verifyRecord(asAssessment)).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });

    // Its signed bytes moved along with it name the other document, which the record's own fields no longer rebuild.
    await records().updateOne({ _id: b!._id }, { $set: { signedContent: a!.signedContent } });
    expect(await verifyRecord(asAssessment)).toMatchObject({ valid: false, reason: 'ENVELOPE_MISMATCH' });
  });

  it('binds a signature to its signer: under another userCode, it fails', async () => {
    const id = nextId();
    const { recordId } = (await sign(n1, { id, dose: '5mg' })).body.data;
    const _id = new Types.ObjectId(recordId);
    expect(await verifyRecord(recordId)).toMatchObject({ valid: true });
    await records().updateOne({ _id }, { $set: { userCode: n2.userCode } });
    expect(await verifyRecord(recordId)).toMatchObject({ valid: false, reason: 'ENVELOPE_MISMATCH' });

    const claimedAt = (await records().findOne({ _id }))!.claimedAt as Date;
    await records().updateOne(
      { _id },
      { $set: { userCode: n1.userCode, claimedAt: new Date(claimedAt.getTime() + 1) } },
    );
    expect(await verifyRecord(recordId)).toMatchObject({ valid: false, reason: 'ENVELOPE_MISMATCH' });
    await records().updateOne({ _id }, { $set: { claimedAt } });
    expect(await verifyRecord(recordId)).toMatchObject({ valid: true });
  });

  it('keeps verifying a version-1 record as the code before version 2 wrote it (the content alone signed)', async () => {
    const id = nextId();
    const { recordId } = (await sign(n1, { id, dose: '5mg' })).body.data;
    const signed = (await records().findOne({ _id: new Types.ObjectId(recordId) }))!;
    const v1Bytes = canonicalJson({ id, dose: '5mg' });
    const nurse = await sim.nurses.get(n1.userCode);
    const { _id, envelopeVersion, claimedAt, timestamp, auditOutbox, ...kept } = signed;
    void [_id, envelopeVersion, claimedAt, timestamp, auditOutbox];
    const v1 = {
      ...kept,
      idempotencyKey: sm3Hex(Buffer.from(`v1 ${recordId}`)),
      signedContent: v1Bytes,
      contentDigestSm3: sm3Hex(Buffer.from(v1Bytes)),
      signResult: sm2Sign(Buffer.from(v1Bytes), nurse.privateKeyHex).toString('base64'),
    };
    const { insertedId } = await records().insertOne(v1);
    expect(await verifyRecord(insertedId)).toMatchObject({ valid: true });
    const list = await request(t.http).get('/windranger/doc/ca/records').query({ docId: id, type: 'document' });
    expect(list.body.data.find((r: { recordId: string }) => r.recordId === String(insertedId))).toMatchObject({
      envelopeVersion: 1,
      signedContent: v1Bytes,
    });

    await records().updateOne({ _id: insertedId }, { $set: { signResult: signed.signResult } });
    expect(await verifyRecord(insertedId)).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
  });

  it('answers unknown documents and records with 404', async () => {
    expect((await request(t.http).get('/windranger/doc/document/nope')).status).toBe(404);
    expect((await request(t.http).post(`/windranger/doc/ca/records/${new Types.ObjectId()}/verify`)).status).toBe(404);
    expect((await request(t.http).post('/windranger/doc/ca/records/xyz/verify')).status).toBe(400);
    const badType = await request(t.http).get('/windranger/doc/prescription/1').set('accept-language', 'en');
    expect(badType.body.message).toContain('type must be one of');
  });
});

describe('Recovery of interrupted signing attempts at start-up', () => {
  it('marks an attempt whose lease ran out FAILED and applies a SIGNED record that never reached its document', async () => {
    const sim = await CossSimulator.start({ port: 0 });
    const env = { COSS_BASE_URL: sim.url, CA_PROVIDERS: 'coss', CA_POLL_INTERVAL_MS: '100' };
    const first = await startTestApp(env);
    const nurse = await loginWithCoss(first, sim, 'N201');
    const signed = await request(first.http)
      .post('/windranger/doc/ca/signDocWithCa')
      .send({
        caIdentityParamsMap: { accessToken: nurse.msspId },
        docData: { id: 'R-1', x: 1 },
        type: 'document',
        userCode: 'N201',
      });
    expect(signed.status).toBe(200);
    const records = first.connection.collection('caExtendedData');
    const documents = first.connection.collection('nursingDocuments');
    // As a crash would leave them: a signature stored but not applied, and an attempt cut off mid-call.
    await documents.deleteOne({ docId: 'R-1' });
    await records.updateOne({ docId: 'R-1' }, { $set: { documentApplied: false } });
    const stuck = await records.insertOne({
      ...(await records.findOne({ docId: 'R-1' }, { projection: { _id: 0 } }))!,
      idempotencyKey: 'stuck-attempt',
      docId: 'R-2',
      status: 'PENDING',
      attemptId: 'crashed',
      leaseUntil: new Date(Date.now() - 1000),
      signResult: undefined,
      verification: undefined,
      documentApplied: false,
    });
    await first.app.close();

    const second = await startTestApp({ ...env, MONGODB_DB: first.dbName });
    try {
      const after = second.connection.collection('caExtendedData');
      expect(await after.findOne({ _id: stuck.insertedId })).toMatchObject({
        status: 'FAILED',
        failure: { type: 'INTERRUPTED' },
      });
      expect(await after.findOne({ docId: 'R-1' })).toMatchObject({ status: 'SIGNED', documentApplied: true });
      const doc = await request(second.http).get('/windranger/doc/document/R-1');
      expect(doc.body.data.signature).toMatchObject({ status: 'SIGNED', userCode: 'N201' });
      expect(await second.connection.collection('nursingDocuments').countDocuments({ docId: 'R-2' })).toBe(0);
    } finally {
      await second.close();
      await sim.stop();
    }
  });
});
