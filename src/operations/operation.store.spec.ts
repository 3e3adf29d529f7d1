import { randomUUID } from 'node:crypto';
import { drainIntoChain } from '../../test/support/audit-chain';
import { describeStore } from '../../test/support/store-database';
import { EXPIRED_REASON, NewOperation, OperationStore } from './operation.store';
import { CaOperation, CaOperationSchema } from './schemas/ca-operation.schema';

describe(OperationStore.name, () => {
  const spec = describeStore(CaOperation.name, CaOperationSchema, (model, bus) => new OperationStore(model, bus));

  const start = async (over: Partial<NewOperation> = {}) => {
    const operationId = `op-${randomUUID()}`;
    await spec.store.start({
      operationId,
      handleHash: `h-${operationId}`,
      type: 'encrypt',
      provider: 'anhui',
      qrCode: 'qr://op',
      expiresAt: new Date(Date.now() + 60_000),
      nextPollAt: new Date(0),
      plaintext: 'secret text',
      ...over,
    });
    return (await spec.store.find(operationId))!;
  };
  const types = async () => (await spec.events.take()).map((event) => event.type);
  const sealer = 's'.repeat(64);

  it('start stores a PENDING operation; one caller per interval gets the poll lease', async () => {
    const pending = await start();
    expect(pending.status).toBe('PENDING');
    expect((await spec.store.findByHandle(pending.handleHash))!.operationId).toBe(pending.operationId);
    expect(await spec.store.findByHandle(pending.operationId)).toBeNull();
    const [event] = await spec.events.take();
    expect(event).toMatchObject({ type: 'OperationStarted', operationId: pending.operationId, operation: 'encrypt' });
    expect(JSON.stringify(event)).not.toContain('secret text');
    const leased = await spec.store.lease(pending, 60_000);
    expect(leased!.nextPollAt.getTime()).toBeGreaterThan(Date.now());
    expect(await spec.store.lease(pending, 60_000)).toBeNull();
  });

  it('finish moves a pending operation once and removes its plaintext; end is then refused', async () => {
    const pending = await start();
    await spec.events.take();
    const done = await spec.store.finish(pending, { ciphertext: 'abc' });
    expect(done).toMatchObject({ status: 'FINISH', result: { ciphertext: 'abc' } });
    expect(done.plaintext).toBeUndefined();
    expect(await types()).toEqual(['OperationFinished']);
    expect(await spec.store.end(pending, 'REJECTED', { type: 'REJECTED', reason: 'late' })).toMatchObject({
      status: 'FINISH',
    });
    expect(await spec.store.finish(pending, { ciphertext: 'other' })).toMatchObject({ result: { ciphertext: 'abc' } });
    expect(await types()).toEqual([]);
  });

  it('end moves a pending operation once to REJECTED, EXPIRED or FAILED', async () => {
    const ends = ['REJECTED', 'EXPIRED', 'FAILED'] as const;
    for (const status of ends) {
      const pending = await start();
      await spec.events.take();
      expect(await spec.store.end(pending, status, { type: status, reason: 'why' })).toMatchObject({ status });
      expect(await spec.events.take()).toEqual([
        expect.objectContaining({ type: 'OperationEnded', operationId: pending.operationId, status, failure: status }),
      ]);
      expect(await spec.store.end(pending, 'FAILED', { type: 'AGAIN', reason: 'again' })).toMatchObject({ status });
      expect(await types()).toEqual([]);
    }
  });

  it('advance moves a seal from round 1 to 2 once; an operation still in round 1 can then no longer move', async () => {
    const round1 = await start({ type: 'seal', round: 1, documentHash: 'hash', plaintext: undefined });
    await spec.events.take();
    const next = { seal: { name: 'seal', image: 'img' }, signatureCompanyCode: 'C1', expiresAt: new Date() };
    const advanced = await spec.store.advance(round1, next);
    expect(advanced).toMatchObject({ moved: true, operation: { round: 2, signatureCompanyCode: 'C1' } });
    expect(await types()).toEqual(['OperationAdvanced']);
    expect(await spec.store.advance(round1, next)).toMatchObject({ moved: false, operation: { round: 2 } });
    expect(await spec.store.finish(round1, { signature: 'x' })).toMatchObject({ status: 'PENDING', round: 2 });
    expect(await types()).toEqual([]);
    expect(await spec.store.finish(advanced.operation, { signature: 'x' }, { sealerSm3: sealer })).toMatchObject({
      status: 'FINISH',
      sealerSm3: sealer,
    });
  });

  it('revoke revokes a finished seal for its own sealer, once (again only by the same unseal)', async () => {
    const seal = await start({ type: 'seal', round: 2, plaintext: undefined });
    await spec.store.finish(seal, { signature: 'x' }, { sealerSm3: sealer });
    await spec.events.take();
    const at = new Date();
    expect(await spec.store.revoke(seal.operationId, 'other'.padEnd(64, '0'), 'unseal-1', at)).toBeNull();
    expect(await spec.store.revoke(seal.operationId, sealer, 'unseal-1', at)).toMatchObject({ revokedBy: 'unseal-1' });
    expect(await spec.events.take()).toEqual([
      expect.objectContaining({ type: 'SealRevoked', sealOperationId: seal.operationId, revokedBy: 'unseal-1' }),
    ]);
    expect(await spec.store.revoke(seal.operationId, sealer, 'unseal-1', at)).not.toBeNull();
    expect(await spec.store.revoke(seal.operationId, sealer, 'unseal-2', at)).toBeNull();
  });

  it('takePlaintext hands a decrypted plaintext to one reader; purge removes an unread one once it is due', async () => {
    const decrypt = async () => {
      const pending = await start({ type: 'decrypt', plaintext: undefined });
      return spec.store.finish(pending, { plaintext: 'clear' }, { resultExpiresAt: new Date(Date.now() + 60_000) });
    };
    const read = await decrypt();
    await spec.events.take();
    expect((await spec.store.takePlaintext(read.operationId, new Date()))!.result).toMatchObject({
      plaintext: 'clear',
    });
    expect(await spec.store.takePlaintext(read.operationId, new Date())).toBeNull();
    expect((await spec.store.find(read.operationId))!.result).toEqual({ plaintext: null, removed: 'DELIVERED' });
    const [delivered] = await spec.events.take();
    expect(delivered).toMatchObject({ type: 'PlaintextRemoved', reason: 'DELIVERED' });
    expect(JSON.stringify(delivered)).not.toContain('clear');

    const unread = await decrypt();
    await spec.events.take();
    expect(await spec.store.purgePlaintexts(new Date(), unread.operationId)).toBe(0);
    const later = new Date(Date.now() + 120_000);
    expect(await spec.store.takePlaintext(unread.operationId, later)).toBeNull();
    expect(await spec.store.purgePlaintexts(later, unread.operationId)).toBe(1);
    expect((await spec.store.find(unread.operationId))!.result).toEqual({ plaintext: null, removed: 'EXPIRED' });
    expect(await spec.events.take()).toEqual([
      expect.objectContaining({ type: 'PlaintextRemoved', reason: 'EXPIRED' }),
    ]);
    expect(await spec.store.purgePlaintexts(later, unread.operationId)).toBe(0);
  });

  it('sweep expires the pending operations past their deadline, once, and only those', async () => {
    const overdue = await start({ expiresAt: new Date(Date.now() - 1000) });
    const open = await start();
    await spec.events.take();
    const { expired } = await spec.store.sweep(new Date());
    expect(expired).toBeGreaterThanOrEqual(1);
    expect(await spec.store.find(overdue.operationId)).toMatchObject({
      status: 'EXPIRED',
      failure: { type: 'EXPIRED', reason: EXPIRED_REASON },
    });
    expect((await spec.store.find(overdue.operationId))!.plaintext).toBeUndefined();
    expect((await spec.store.find(open.operationId))!.status).toBe('PENDING');
    const swept = await spec.events.take();
    expect(swept).toContainEqual(
      expect.objectContaining({ type: 'OperationEnded', operationId: overdue.operationId, status: 'EXPIRED' }),
    );
    expect((await spec.store.sweep(new Date())).expired).toBe(0);
  });

  it('writes every transition’s audit item in its own update; a drain after a crash appends each once', async () => {
    const seal = await start({ type: 'seal', round: 1, plaintext: undefined });
    const { operation: sealed } = await spec.store.advance(seal, {
      seal: { name: 'seal', image: 'img' },
      signatureCompanyCode: 'C1',
      expiresAt: new Date(Date.now() + 60_000),
    });
    await spec.store.finish(sealed, { signature: 'seal-signature' }, { sealerSm3: sealer });
    await spec.store.revoke(seal.operationId, sealer, 'unseal-9', new Date());
    const decrypt = await start({ type: 'decrypt', plaintext: undefined });
    await spec.store.finish(decrypt, { plaintext: 'clear' }, { resultExpiresAt: new Date(Date.now() + 60_000) });
    await spec.store.takePlaintext(decrypt.operationId, new Date());
    const rejected = await start();
    await spec.store.end(rejected, 'REJECTED', { type: 'REJECTED', reason: 'declined on the phone' });
    const overdue = await start({ expiresAt: new Date(Date.now() - 1000) });
    await spec.store.sweep(new Date());
    // The process "dies" here: every transition is committed, no drain has run.
    const entries = await drainIntoChain(spec.db.connection, spec.store.auditOutbox());
    const of = (operation: { operationId: string }) =>
      entries
        .filter((entry) => (entry.subject as { operationId: string }).operationId === operation.operationId)
        .map((entry) => `${entry.type}:${entry.outcome}`);
    expect(of(seal)).toEqual([
      'OperationStarted:PENDING:seal',
      'OperationAdvanced:ROUND_2',
      'OperationFinished:FINISH',
      'SealRevoked:REVOKED_BY:unseal-9',
    ]);
    expect(of(decrypt)).toEqual([
      'OperationStarted:PENDING:decrypt',
      'OperationFinished:FINISH',
      'PlaintextRemoved:DELIVERED',
    ]);
    expect(of(rejected)).toEqual(['OperationStarted:PENDING:encrypt', 'OperationEnded:REJECTED:REJECTED']);
    expect(of(overdue)).toEqual(['OperationStarted:PENDING:encrypt', 'OperationEnded:EXPIRED:EXPIRED']);
    const text = JSON.stringify(entries);
    for (const secret of ['secret text', 'clear', 'seal-signature', 'img', rejected.handleHash, 'qr://op']) {
      expect(text).not.toContain(secret);
    }
    expect(await drainIntoChain(spec.db.connection, spec.store.auditOutbox())).toEqual([]);
  });
});
