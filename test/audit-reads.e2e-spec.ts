import request from 'supertest';
import { AuditLogStore } from '../src/evidence/audit/audit-log.store';
import { API_KEYS_CHANGED } from '../src/evidence/audit/api-keys.audit';
import { CossSimulator } from '../src/simulators/coss/coss-simulator';
import { auditStoreOn } from './support/audit-chain';
import { loginWithCoss, signAsNurse } from './support/coss-login';
import { startTestApp, TestApp } from './support/test-app';

const READ = 'reads-read-key-0000001';
const keys = (...extra: object[]) => JSON.stringify([{ id: 'ward-pc', key: READ, scopes: ['read'] }, ...extra]);

describe('Reads by an API key are audit entries', () => {
  let coss: CossSimulator;
  let t: TestApp;

  beforeAll(async () => {
    coss = await CossSimulator.start({ port: 0 });
    t = await startTestApp({ API_KEYS: keys(), COSS_BASE_URL: coss.url, CA_PROVIDERS: 'coss' });
  });
  afterAll(async () => {
    await t?.close();
    await coss?.stop();
  });

  const entries = async (type: string) => {
    const found: Record<string, unknown>[] = [];
    for await (const entry of t.app.get(AuditLogStore).range()) if (entry.type === type) found.push(entry);
    return found;
  };
  const read = (path: string) => request(t.http).get(path).set('authorization', `Bearer ${READ}`);

  it('says which key read which document, records and verification, without the content', async () => {
    const nurse = await loginWithCoss(t, coss, 'N501');
    const docId = `READ-${Date.now()}`;
    const signed = await signAsNurse(t, nurse, { id: docId, note: 'private-patient-note' });
    expect(signed.status).toBe(200);
    const recordId = signed.body.data.recordId as string;

    expect((await read(`/windranger/doc/document/${docId}`)).status).toBe(200);
    expect((await read(`/windranger/doc/ca/records?docId=${docId}&type=document`)).status).toBe(200);
    const verified = await request(t.http)
      .post(`/windranger/doc/ca/records/${recordId}/verify`)
      .set('authorization', `Bearer ${READ}`);
    expect(verified.status).toBe(200);
    const exported = await read(`/windranger/doc/ca/records/${recordId}/evidence`);
    expect(exported.status).toBe(200);
    // A refused or failed read is no read: nothing is appended for it.
    expect((await read('/windranger/doc/document/NO-SUCH-DOC')).status).toBe(404);

    const actor = { apiKeyId: 'ward-pc', address: '127.0.0.1' };
    expect(await entries('DocumentRead')).toMatchObject([
      { outcome: 'READ', actor, subject: { docId, docType: 'document', recordId }, requestId: expect.any(String) },
    ]);
    expect(await entries('RecordsRead')).toMatchObject([
      { actor, subject: { docId, docType: 'document', ids: [recordId] } },
    ]);
    expect(await entries('RecordVerified')).toMatchObject([{ actor, subject: { recordId } }]);
    expect(await entries('EvidenceExported')).toMatchObject([{ actor, subject: { recordId } }]);
    const all = JSON.stringify([...(await entries('DocumentRead')), ...(await entries('RecordsRead'))]);
    expect(all).not.toContain('private-patient-note');
    expect(all).not.toContain(READ);
  });
});

describe('API key configuration changes', () => {
  it('are recorded at start-up when the ids, scopes or keys differ from the last recorded set', async () => {
    const first = await startTestApp({ API_KEYS: keys() });
    const dbName = first.dbName;
    await first.app.close();
    const restart = async (apiKeys: string) =>
      (await startTestApp({ API_KEYS: apiKeys, MONGODB_DB: dbName })).app.close();
    await restart(keys());
    await restart(keys({ id: 'auditor', key: 'reads-admin-key-000001', scopes: ['admin'] }));
    await restart(keys({ id: 'auditor', key: 'reads-admin-key-000002', scopes: ['admin'] }));

    const { store, conn } = await auditStoreOn(dbName);
    try {
      const changes = [];
      for await (const entry of store.range()) if (entry.type === API_KEYS_CHANGED) changes.push(entry);
      expect(changes.map((entry) => entry.outcome)).toEqual(['FIRST_RECORDED', 'CHANGED', 'CHANGED']);
      expect(changes[0].apiKeys).toEqual([{ id: 'ward-pc', scopes: ['read'], fingerprint: expect.any(String) }]);
      expect(changes[1].subject).toEqual({ ids: ['auditor', 'ward-pc'] });
      const [, added, rotated] = changes as { apiKeys: { fingerprint: string }[] }[];
      expect(added.apiKeys[0].fingerprint).not.toBe(rotated.apiKeys[0].fingerprint);
      expect(JSON.stringify(changes)).not.toMatch(/reads-(read|admin)-key/);
    } finally {
      await conn.dropDatabase();
      await conn.close();
    }
  });
});
