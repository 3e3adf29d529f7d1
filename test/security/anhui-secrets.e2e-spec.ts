import request from 'supertest';
import type { AnhuiSimulator } from '../../src/simulators/anhui/anhui-simulator';
import { byHandle } from '../support/handles';
import { startAnhuiGateway } from '../support/anhui-gateway';
import type { TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

/** Issue 9, the per-login secrets for the Anhui scan service: signing jobs and /ca/operations. */
describe('Per-login secrets (Anhui)', () => {
  let sim: AnhuiSimulator;
  let t: TestApp;

  beforeAll(async () => {
    ({ sim, t } = await startAnhuiGateway({ CA_PROVIDERS: 'anhui' }));
  });
  afterAll(async () => {
    await t.close();
    await sim.stop();
  });

  const result = (signDataId: string) => request(t.http).post('/coss/service/v1/getSignResult').send({ signDataId });
  const settled = (signDataId: string) =>
    waitFor(
      () => result(signDataId),
      (res) => res.status !== 200 || res.body.data.jobStatus !== 'UNSIGN',
    );
  const guidOf = (qrCode: string) => (JSON.parse(qrCode) as { guid: string }).guid;

  describe('seed-minimal PC flow (000_947579f8cd94759d), unchanged, with the PENDING_SCAN step', () => {
    it('start, poll, queryImage {UserId}, isSameCaUser, signDocWithCa {accessToken}, scan, poll the job handle', async () => {
      const started = await request(t.http)
        .post('/coss/service/v1/startAutoSign')
        .send({ UserId: '', timeRegion: 720 });
      expect(started.status).toBe(200);
      const { signDataId, qrCode } = started.body.data;
      expect(guidOf(qrCode)).not.toBe(signDataId);
      await sim.app.scan({ qr: qrCode, user: 'sm2-nurse' });
      const done = await settled(signDataId);
      expect(done.body.data).toMatchObject({ signDataId, jobStatus: 'FINISH' });
      const { msspId } = done.body.data;
      expect((await request(t.http).post('/coss/service/v1/queryImage').send({ UserId: msspId })).status).toBe(200);
      const same = await request(t.http)
        .post('/WRMSMnis/doc/ca/isSameCaUser/AS001')
        .send({ accessToken: msspId, signDataId });
      expect(same.body.data).toBe(false);

      const signed = await request(t.http)
        .post('/windranger/doc/ca/signDocWithCa')
        .send({
          caIdentityParamsMap: { accessToken: msspId },
          docData: { id: 'AH-SEED-1', pain: 1 },
          type: 'document',
        });
      expect(signed.status).toBe(200);
      expect(signed.body.data).toMatchObject({ status: 'PENDING_SCAN', docId: 'AH-SEED-1' });
      const job = signed.body.data;
      const guid = guidOf(job.qrCode);
      expect(job.signDataId).not.toBe(guid);
      expect(job.qrCode).not.toContain(job.signDataId);
      // The job's guid, read off the screen, is an unknown id.
      expect((await result(guid)).status).toBe(404);

      await sim.app.scan({ qr: job.qrCode, user: 'sm2-nurse' });
      const finished = await settled(job.signDataId);
      expect(finished.body.data).toMatchObject({ signDataId: job.signDataId, jobStatus: 'FINISH', docId: 'AH-SEED-1' });
      expect(finished.body.data).not.toHaveProperty('msspId');
      expect((await result(guid)).status).toBe(404);
      const record = await t.connection.collection('caExtendedData').findOne({ docId: 'AH-SEED-1' });
      expect(record).toMatchObject({ status: 'SIGNED', userCode: 'AS001', signDataId: guid });
      expect(JSON.stringify(record)).not.toContain(job.signDataId);
      expect(JSON.stringify(record)).not.toContain(msspId);
    });
  });

  describe('operations: the starter holds the handle, the QR code the guid', () => {
    it('the guid is an unknown id to every operation route; the handle reads; the stored operation holds neither secret', async () => {
      const started = await request(t.http).post('/ca/operations/encrypt').send({ plaintext: 'private' });
      expect(started.status).toBe(200);
      const { operationId, qrCode } = started.body.data;
      const guid = guidOf(qrCode);
      expect(operationId).toMatch(/^[\w-]{32}$/);
      expect(qrCode).not.toContain(operationId);
      expect(started.body.data).not.toHaveProperty('readKey');

      expect((await request(t.http).get(`/ca/operations/${guid}`)).status).toBe(404);
      expect((await request(t.http).post('/ca/operations/result').send({ operationId: guid })).status).toBe(404);
      expect((await request(t.http).get(`/ca/operations/${guid}/events`)).status).toBe(404);
      expect((await request(t.http).get(`/ca/operations/${operationId}`)).body.data).toMatchObject({
        operationId,
        status: 'PENDING',
      });
      const stored = await t.connection.collection('caOperations').findOne(byHandle(operationId));
      expect(stored).toMatchObject({ operationId: guid });
      expect(JSON.stringify(stored)).not.toContain(operationId);
    });

    it('unseal takes the seal’s handle; the seal’s guid is 404', async () => {
      const sealStart = await request(t.http)
        .post('/ca/operations/seal')
        .send({ documentHash: 'ab'.repeat(32), sealName: '护理专用章' });
      const { operationId, qrCode } = sealStart.body.data;
      const byGuid = await request(t.http)
        .post('/ca/operations/unseal')
        .send({ sealOperationId: guidOf(qrCode) });
      expect(byGuid.status).toBe(404);
      expect(byGuid.body.error).toMatchObject({ type: 'NOT_FOUND', field: 'sealOperationId' });
      const early = await request(t.http).post('/ca/operations/unseal').send({ sealOperationId: operationId });
      expect(early.status).toBe(409);
    });
  });
});
