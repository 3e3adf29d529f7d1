import { Types } from 'mongoose';
import request from 'supertest';
import { CossSimulator } from '../../src/simulators/coss/coss-simulator';
import { SignRecovery } from '../../src/signing/sign-recovery';
import { loginWithCoss, LoggedInNurse } from '../support/coss-login';
import { startTestApp, TestApp } from '../support/test-app';

/** Issue 9, row 4: hostile keys in docData, and one bad record never stops recovery or a start-up. */
describe('row 4: docData keys and bad records', () => {
  let sim: CossSimulator;
  let t: TestApp;
  let nurse: LoggedInNurse;

  beforeAll(async () => {
    sim = await CossSimulator.start({ port: 0 });
    t = await startTestApp({ COSS_BASE_URL: sim.url, CA_PROVIDERS: 'coss', CA_POLL_INTERVAL_MS: '100' });
    nurse = await loginWithCoss(t, sim, 'D001');
  });
  afterAll(async () => {
    await t.close();
    await sim.stop();
  });

  const sign = (docData: unknown) =>
    request(t.http)
      .post('/windranger/doc/ca/signDocWithCa')
      .send({ caIdentityParamsMap: { accessToken: nurse.msspId }, docData, type: 'document', userCode: 'D001' });

  it('signs docData with keys that begin with $ or contain a dot, and gives them back exactly', async () => {
    const content = { id: 'FP3', $gt: 1, 'a.b': { $where: 'sleep(1)', 'c.d': [1, { $ne: null }] } };
    const res = await sign(content);
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('SIGNED');
    const doc = await request(t.http).get('/windranger/doc/document/FP3');
    expect(doc.status).toBe(200);
    expect(doc.body.data.content).toEqual(content);
    const verified = await request(t.http).post(`/windranger/doc/ca/records/${res.body.data.recordId}/verify`);
    expect(verified.body.data.valid).toBe(true);
    // The same content as a JSON string is the same signature.
    const again = await sign(JSON.stringify(content));
    expect(again.body.data.recordId).toBe(res.body.data.recordId);
  });

  it('a poisoned record is logged and skipped: the sweep applies the others and the gateway starts again', async () => {
    const good = await sign({ id: 'GOOD-1', $inc: { x: 1 } });
    expect(good.status).toBe(200);
    const records = t.connection.collection('caExtendedData');
    const goodId = new Types.ObjectId(good.body.data.recordId as string);
    const original = (await records.findOne({ _id: goodId }))!;
    await t.connection.collection('nursingDocuments').deleteOne({ docId: 'GOOD-1' });
    await records.updateOne({ _id: goodId }, { $set: { documentApplied: false } });
    const { _id: _ignored, ...rest } = original;
    await records.insertOne({
      ...rest,
      idempotencyKey: 'poisoned',
      docId: 'POISON-1',
      docType: 'no-such-type',
      documentApplied: false,
    });

    const swept = await t.app.get(SignRecovery).sweep();
    expect(swept).toMatchObject({ applied: 1, skipped: 1 });
    expect((await request(t.http).get('/windranger/doc/document/GOOD-1')).body.data.content).toEqual({
      id: 'GOOD-1',
      $inc: { x: 1 },
    });

    // A second instance on the same database boots past the poisoned record.
    const again = await startTestApp({ COSS_BASE_URL: sim.url, CA_PROVIDERS: 'coss', MONGODB_DB: t.dbName });
    try {
      expect((await request(again.http).get('/health')).status).toBe(200);
      expect(await records.countDocuments({ idempotencyKey: 'poisoned', documentApplied: false })).toBe(1);
    } finally {
      await again.app.close();
    }
  });
});
