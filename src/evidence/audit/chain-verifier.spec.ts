import { AuditEntry, chainHash, entryBody, entryMac, GENESIS_HASH, sealEntry, shortHandleHash } from './audit-entry';
import { verifyChain } from './chain-verifier';

const key = { id: 'k1', key: Buffer.from('a'.repeat(32)) };
const keys = new Map([[key.id, key.key]]);

function chain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < length; i++) {
    const head = entries.at(-1) ?? null;
    entries.push(
      sealEntry(
        { type: 'RecordSigned', outcome: 'SIGNED', subject: { recordId: `r${i}`, vendor: 'coss' } },
        head,
        key,
        new Date(Date.UTC(2026, 10, 30, 9, 0, i)),
      ),
    );
  }
  return entries;
}

async function* stream(entries: object[]) {
  for (const entry of entries) yield structuredClone(entry) as Record<string, unknown>;
}

function resealed(entry: AuditEntry, changes: Partial<AuditEntry>): AuditEntry {
  const body = entryBody({ ...entry, ...changes } as unknown as Record<string, unknown>);
  const hash = chainHash(body.prevHash as string, body);
  return { ...(body as unknown as AuditEntry), hash, mac: entryMac(key.key, hash) };
}

describe(verifyChain.name, () => {
  it('accepts an untouched chain starting from 64 zero hex digits', async () => {
    const entries = chain(5);
    expect(entries[0].prevHash).toBe(GENESIS_HASH);
    expect(entries[0].seq).toBe(1);
    expect(await verifyChain(stream(entries), { keys })).toEqual({
      valid: true,
      entries: 5,
      anchors: 0,
      firstBroken: null,
      macsChecked: true,
    });
  });

  it('reports an edited entry at its seq', async () => {
    const entries = chain(5);
    entries[2] = { ...entries[2], outcome: 'FAILED' };
    expect((await verifyChain(stream(entries), { keys })).firstBroken).toEqual({ seq: 3, reason: 'EDITED' });
  });

  it('reports an entry edited with its hash recomputed but no key: at its seq with the key, at its seq without', async () => {
    const entries = chain(5);
    const body = entryBody({ ...entries[2], outcome: 'FAILED' } as unknown as Record<string, unknown>);
    entries[2] = { ...entries[2], outcome: 'FAILED', hash: chainHash(entries[2].prevHash, body) };
    expect((await verifyChain(stream(entries), { keys })).firstBroken).toEqual({ seq: 3, reason: 'EDITED' });
    const keyless = await verifyChain(stream(entries));
    expect(keyless).toMatchObject({ macsChecked: false, firstBroken: { seq: 3, reason: 'EDITED' } });
  });

  it('reports a deleted entry, and entries cut from the end when toSeq is known', async () => {
    const entries = chain(5);
    expect((await verifyChain(stream(entries.filter((e) => e.seq !== 2)), { keys })).firstBroken).toEqual({
      seq: 2,
      reason: 'MISSING',
    });
    expect((await verifyChain(stream(entries.slice(0, 3)), { keys, toSeq: 5 })).firstBroken).toEqual({
      seq: 4,
      reason: 'MISSING',
    });
  });

  it('reports a second entry at an existing seq, and a forged entry appended without the key, as INSERTED', async () => {
    const entries = chain(4);
    const forged = resealed(entries[2], { outcome: 'FORGED', mac: '0'.repeat(64) });
    const withDuplicate = [...entries.slice(0, 3), { ...forged, mac: '0'.repeat(64) }, entries[3]];
    expect((await verifyChain(stream(withDuplicate), { keys })).firstBroken).toEqual({ seq: 3, reason: 'INSERTED' });
    const appended = sealEntry(
      { type: 'RecordSigned', outcome: 'SIGNED' },
      entries[3],
      { id: 'k1', key: Buffer.alloc(32) },
      new Date(),
    );
    expect((await verifyChain(stream([...entries, appended]), { keys })).firstBroken).toEqual({
      seq: 5,
      reason: 'INSERTED',
    });
  });

  it('reports two swapped entries as REORDERED at the first of them', async () => {
    const entries = chain(5);
    const swapped = [entries[0], { ...entries[2], seq: 2 }, { ...entries[1], seq: 3 }, entries[3], entries[4]];
    expect((await verifyChain(stream(swapped), { keys })).firstBroken).toEqual({ seq: 2, reason: 'REORDERED' });
  });

  it('refuses an entry whose key id is unknown', async () => {
    const entries = chain(2);
    expect((await verifyChain(stream(entries), { keys: new Map([['k0', key.key]]) })).firstBroken).toEqual({
      seq: 1,
      reason: 'INSERTED',
    });
  });

  it('verifies a range from the hash of the entry before it', async () => {
    const entries = chain(6);
    const range = entries.slice(2, 5);
    expect(await verifyChain(stream(range), { keys, fromSeq: 3, base: entries[1] })).toMatchObject({
      valid: true,
      entries: 3,
    });
    expect(
      (await verifyChain(stream(range), { keys, fromSeq: 3, base: { seq: 2, hash: entries[0].hash } })).firstBroken,
    ).toEqual({
      seq: 2,
      reason: 'EDITED',
    });
  });
});

describe(shortHandleHash.name, () => {
  it('keeps 16 hex digits of SM3, never the handle', () => {
    expect(shortHandleHash('mssp-123')).toMatch(/^[0-9a-f]{16}$/);
    expect(shortHandleHash('mssp-123')).not.toContain('mssp');
  });
});
