import request from 'supertest';
import { AuditLogStore } from '../src/evidence/audit';
import { RefusalAuditHook } from '../src/evidence/audit/refusals/refusal-audit.hook';
import { RefusalWindow, RefusalWindowSchema } from '../src/evidence/audit/refusals/refusal-window.schema';
import { RefusalWindowStore } from '../src/evidence/audit/refusals/refusal-window.store';
import { auditStoreOn } from './support/audit-chain';
import { startTestApp, TestApp } from './support/test-app';

const READ = 'refusal-read-key-00001';
const API_KEYS = JSON.stringify([{ id: 'ward-pc', key: READ, scopes: ['read'] }]);
const MINUTE = new Date('2026-11-30T08:15:00.000Z');

describe('401, 403 and 429 answers grouped per address, route, status and minute', () => {
  let t: TestApp;
  let hook: RefusalAuditHook;

  beforeAll(async () => {
    t = await startTestApp({ API_KEYS });
    hook = t.app.get(RefusalAuditHook);
    hook.now = () => new Date(MINUTE.getTime() + 20_000);
  });
  afterAll(() => t?.close());

  const refusals = async () => {
    const entries: Record<string, unknown>[] = [];
    for await (const entry of t.app.get(AuditLogStore).range()) {
      if (entry.type === 'RequestsRefused') entries.push(entry);
    }
    return entries;
  };

  it('makes one entry with count 500 of 500 bad-key requests in one minute, and one per other status', async () => {
    const bad = () =>
      request(t.http)
        .get('/windranger/doc/ca/records')
        .query({ docId: 'D1', type: 'document' })
        .set('authorization', 'Bearer not-a-key-at-all-0000');
    for (let sent = 0; sent < 500; sent += 25) {
      const answers = await Promise.all(Array.from({ length: 25 }, bad));
      expect(answers.every((res) => res.status === 401)).toBe(true);
    }
    for (let i = 0; i < 3; i++) {
      expect((await request(t.http).get('/metrics').set('authorization', `Bearer ${READ}`)).status).toBe(403);
    }
    // Not yet: the minute has not closed.
    await hook.flush(new Date(MINUTE.getTime() + 30_000));
    expect(await refusals()).toEqual([]);

    await hook.flush(new Date(MINUTE.getTime() + 2 * 60_000));
    const entries = await refusals();
    expect(entries).toHaveLength(2);
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          outcome: 'HTTP_401',
          count: 500,
          actor: { address: '127.0.0.1' },
          subject: { route: '/windranger/doc/ca/records' },
          occurredAt: MINUTE,
        }),
        expect.objectContaining({ outcome: 'HTTP_403', count: 3, subject: { route: '/metrics' } }),
      ]),
    );
    expect(JSON.stringify(entries)).not.toContain('not-a-key');
    await hook.flush(new Date(MINUTE.getTime() + 3 * 60_000));
    expect(await refusals()).toHaveLength(2);
  });

  it('counts two gateways into the same window and moves it once when both close it at once', async () => {
    const minute = new Date(MINUTE.getTime() + 10 * 60_000);
    const key = { minute, address: '10.1.2.3', route: '/admin/audit/verify', status: 429 };
    // A second gateway: its own connection to the same database.
    const { conn } = await auditStoreOn(t.dbName);
    const gateways = [
      t.app.get(RefusalWindowStore),
      new RefusalWindowStore(conn.model(RefusalWindow.name, RefusalWindowSchema)),
    ];
    await Promise.all(gateways.flatMap((store) => Array.from({ length: 10 }, () => store.add(key, 7))));
    const after = new Date(minute.getTime() + 2 * 60_000);
    const moved = await Promise.all(gateways.map((store) => store.closeDue(after)));
    expect(moved.reduce((a, b) => a + b, 0)).toBe(1);
    await hook.flush(after);
    const counted = (await refusals()).filter((entry) => (entry.actor as { address: string }).address === '10.1.2.3');
    expect(counted).toMatchObject([{ outcome: 'HTTP_429', count: 140 }]);
    await conn.close();
  });

  it('moves what it counted into the chain at shutdown, the open minute included', async () => {
    const other = await startTestApp({ API_KEYS });
    for (let i = 0; i < 4; i++) {
      expect((await request(other.http).get('/admin/audit/verify')).status).toBe(401);
    }
    await other.app.close();
    const { store, conn } = await auditStoreOn(other.dbName);
    try {
      const entries = [];
      for await (const entry of store.range()) if (entry.type === 'RequestsRefused') entries.push(entry);
      expect(entries).toMatchObject([{ outcome: 'HTTP_401', count: 4, subject: { route: '/admin/audit/verify' } }]);
    } finally {
      await conn.dropDatabase();
      await conn.close();
    }
  });
});
