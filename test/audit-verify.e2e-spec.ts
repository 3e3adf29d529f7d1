import { Logger } from '@nestjs/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AuditAnchorJob, AuditLogStore } from '../src/evidence/audit';
import { TsaSimulator } from '../src/simulators/tsa';
import { AUDIT_ENV, rewriteWithKey } from './support/audit-chain';
import { startTestApp, TestApp } from './support/test-app';

const READ = 'audit-read-key-0000001';
const ADMIN = 'audit-admin-key-000001';
const API_KEYS = JSON.stringify([
  { id: 'ward-pc', key: READ, scopes: ['read'] },
  { id: 'auditor', key: ADMIN, scopes: ['admin'] },
]);

describe('GET /admin/audit/verify and anchors through the configured TSA', () => {
  let tsa: TsaSimulator;
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    tsa = await TsaSimulator.start();
    dir = mkdtempSync(join(tmpdir(), 'audit-tsa-'));
    writeFileSync(join(dir, 'roots.pem'), tsa.authority.rootsPem);
    t = await startTestApp({
      ...AUDIT_ENV,
      API_KEYS,
      TSA_URL: `${tsa.url}/tsa`,
      TSA_TRUSTED_ROOTS: join(dir, 'roots.pem'),
    });
  });
  afterAll(async () => {
    await t?.close();
    await tsa?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const verify = (query: Record<string, string> = {}, key = ADMIN) =>
    request(t.http).get('/admin/audit/verify').query(query).set('authorization', `Bearer ${key}`);
  const append = async (count: number) => {
    for (let i = 0; i < count; i++) {
      await t.app.get(AuditLogStore).append({ type: 'RecordRead', outcome: 'READ', subject: { recordId: `r${i}` } });
    }
  };

  it('needs an admin key: 401 without one, 403 with a read key', async () => {
    const none = await request(t.http).get('/admin/audit/verify');
    expect(none.status).toBe(401);
    expect(none.body.error.type).toBe('API_KEY_REQUIRED');
    const read = await verify({}, READ);
    expect(read.status).toBe(403);
    expect(read.body.error.type).toBe('SCOPE_REQUIRED');
  });

  it('refuses a bad range with a 400 naming the field', async () => {
    for (const [query, field] of [
      [{ fromSeq: '0' }, 'fromSeq'],
      [{ toSeq: 'abc' }, 'toSeq'],
      [{ fromSeq: '5', toSeq: '4' }, 'toSeq'],
      [{ seq: '1' }, 'seq'],
    ] as const) {
      const res = await verify(query);
      expect(res.status).toBe(400);
      expect(res.body.error.type).toBe('VALIDATION_FAILED');
      expect(res.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
  });

  it('anchors the head with a token of the configured TSA; a rewrite before it WITH the key is ANCHOR_MISMATCH there', async () => {
    await append(3);
    const before = tsa.requestCount;
    const anchor = await t.app.get(AuditAnchorJob).anchorNow();
    expect(tsa.requestCount - before).toBe(1);
    const head = (await t.app.get(AuditLogStore).bySeq(anchor!.seq - 1))!;
    expect(anchor).toMatchObject({
      type: 'AUDIT_ANCHOR',
      anchor: { headSeq: head.seq, headHash: head.hash, hashAlgorithm: 'sm3', token: expect.any(String) },
    });
    await append(2);
    const total = anchor!.seq + 2;

    const valid = await verify();
    expect(valid.status).toBe(200);
    expect(valid.body.data).toEqual({ valid: true, entries: total, anchors: 1, firstBroken: null });
    expect((await verify({ fromSeq: '2', toSeq: String(anchor!.seq) })).body.data).toEqual({
      valid: true,
      entries: anchor!.seq - 1,
      anchors: 1,
      firstBroken: null,
    });
    expect((await verify({ toSeq: String(total + 2) })).body.data.firstBroken).toEqual({
      seq: total + 1,
      reason: 'MISSING',
    });

    await rewriteWithKey(t.connection.collection('caAuditLog'), 1, { outcome: 'REWRITTEN' }, { moveAnchorHead: true });
    expect((await verify()).body.data).toEqual({
      valid: false,
      entries: total,
      anchors: 1,
      firstBroken: { seq: anchor!.seq, reason: 'ANCHOR_MISMATCH' },
    });
    // After the anchor, each link holds: a range that leaves the anchor out cannot see the rewrite.
    expect((await verify({ fromSeq: String(anchor!.seq + 1) })).body.data.valid).toBe(true);
  });
});

describe('Audit anchors with TSA_DISABLED=true', () => {
  it('makes none and says so at start-up', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const t = await startTestApp({ TSA_DISABLED: 'true' });
    try {
      const warned = warn.mock.calls.map(([message]) => String(message));
      expect(warned.filter((message) => message.includes('the audit chain gets no anchors'))).toHaveLength(1);
      await t.app.get(AuditLogStore).append({ type: 'RecordRead', outcome: 'READ' });
      await expect(t.app.get(AuditAnchorJob).anchorNow()).rejects.toThrow('No TSA is configured');
    } finally {
      warn.mockRestore();
      await t.close();
    }
  });
});
