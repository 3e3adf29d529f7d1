import request from 'supertest';
import { CossSimulator } from '../../src/simulators/coss/coss-simulator';
import { LoggedInNurse, loginWithCoss } from '../support/coss-login';
import type { EngineProcess } from '../../tools/engine-process';
import { itWithRestartableEngine, restartableEngineName, startRestartableEngine } from '../support/restartable-engine';
import { startTestApp, TestApp } from '../support/test-app';
import { runAuditVerify } from '../support/audit-chain';
import { waitFor } from '../support/wait';

/**
 * The database is stopped and started again (same files, same port) under a running gateway: what was stored survives,
 * and the gateway reconnects by itself. Runs on the engine named by MNIS_RESTART_ENGINE (FerretDB on SQLite,
 * mongo-java-server on H2), which this spec starts itself since it must restart it.
 */
describe('A database restart under a running gateway', () => {
  let engine: EngineProcess | undefined;
  let sim: CossSimulator;
  let t: TestApp;

  beforeAll(async () => {
    const name = restartableEngineName();
    if (!name) return;
    engine = await startRestartableEngine(name);
    sim = await CossSimulator.start({ port: 0 });
    t = await startTestApp({
      MONGODB_URI: engine.uri,
      COSS_BASE_URL: sim.url,
      CA_PROVIDERS: 'coss',
      CA_POLL_INTERVAL_MS: '100',
      COSS_TIMEOUT_MS: '2000',
    });
  }, 90_000);
  afterAll(async () => {
    if (!engine) return;
    await t?.close().catch(() => undefined);
    await sim?.stop();
    await engine.remove();
  }, 60_000);

  const sign = (nurse: LoggedInNurse, id: string) =>
    request(t.http)
      .post('/windranger/doc/ca/signDocWithCa')
      .send({
        caIdentityParamsMap: { accessToken: nurse.msspId, signDataId: nurse.signDataId },
        docData: { id, patientId: 'P-1', note: '重启前后' },
        type: 'document',
        userCode: nurse.userCode,
      });
  const snapshot = async () => {
    const read = (name: string) =>
      t.connection
        .collection(name)
        // Background work may move these on while the database is away (the audit outbox drains, the timestamp is
        // granted); what a restart must keep is everything else.
        .find({}, { projection: { updatedAt: 0, auditOutbox: 0, timestamp: 0 } })
        .sort({ _id: 1 })
        .toArray();
    return {
      records: await read('caExtendedData'),
      authorizations: await read('caAuthorizations'),
      documents: await read('nursingDocuments'),
    };
  };

  itWithRestartableEngine(
    'keeps records, authorizations and signed documents, and the gateway reconnects by itself',
    async () => {
      const nurse = await loginWithCoss(t, sim, 'N501');
      const before = await sign(nurse, 'RESTART-1');
      expect(before.body.data).toMatchObject({ status: 'SIGNED' });
      const stored = await snapshot();
      expect(stored.records).toHaveLength(1);
      expect(stored.authorizations).toHaveLength(1);
      expect(stored.documents).toHaveLength(1);

      await engine!.stop();
      expect((await request(t.http).get('/health')).status).toBe(200);
      expect((await request(t.http).get('/health/ready')).status).toBe(503);

      await engine!.restart();
      await waitFor(
        () => request(t.http).get('/health/ready'),
        (res) => res.status === 200,
        30_000,
        250,
      );

      expect(await snapshot()).toEqual(stored);
      const verified = await request(t.http).post(`/windranger/doc/ca/records/${before.body.data.recordId}/verify`);
      expect(verified.body.data).toMatchObject({ valid: true });
      const doc = await request(t.http).get('/windranger/doc/document/RESTART-1');
      expect(doc.status).toBe(200);

      const after = await sign(nurse, 'RESTART-2');
      expect(after.status).toBe(200);
      expect(after.body.data).toMatchObject({ status: 'SIGNED' });
      expect((await snapshot()).records).toHaveLength(2);

      // The audit chain survives too: once the outboxes are drained, audit:verify (as after a restore) exits 0.
      await waitFor(
        () => t.connection.collection('caExtendedData').countDocuments({ 'auditOutbox.key': { $exists: true } }),
        (pending) => pending === 0,
        30_000,
        250,
      );
      const verify = await runAuditVerify({ MONGODB_URI: engine!.uri, MONGODB_DB: t.dbName });
      expect(verify.code).toBe(0);
      expect(verify.report).toMatchObject({ valid: true, firstBroken: null });
      expect(verify.report.entries).toBeGreaterThanOrEqual(8);
    },
    120_000,
  );
});
