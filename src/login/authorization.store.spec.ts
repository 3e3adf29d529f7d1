import { randomUUID } from 'node:crypto';
import { drainIntoChain } from '../../test/support/audit-chain';
import { describeStore } from '../../test/support/store-database';
import { shortHandleHash } from '../evidence/audit/audit-entry';
import { finishedLogin, newLogin } from '../../test/support/login-fixtures';
import { AuthorizationStore, NewLogin } from './authorization.store';
import { CaAuthorization, CaAuthorizationSchema } from './schemas/ca-authorization.schema';

describe(AuthorizationStore.name, () => {
  const spec = describeStore(
    CaAuthorization.name,
    CaAuthorizationSchema,
    (model, bus) => new AuthorizationStore(model, bus),
  );

  const login = newLogin;
  const finished = finishedLogin;
  const started = async (over: Partial<NewLogin> = {}) => {
    const fields = login(over);
    await spec.store.start(fields);
    return (await spec.store.find(fields.signDataId))!;
  };
  const types = async () => (await spec.events.take()).map((event) => event.type);

  it('start stores an UNSIGN login whose lease is free; one caller per interval gets the lease', async () => {
    const pending = await started({ userCode: 'N001' });
    expect(pending).toMatchObject({ status: 'UNSIGN', userCode: 'N001', nextPollAt: new Date(0) });
    expect(await spec.events.take()).toEqual([
      expect.objectContaining({ type: 'LoginStarted', signDataId: pending.signDataId, provider: 'coss' }),
    ]);
    const leased = await spec.store.lease(pending, 60_000);
    expect(leased!.nextPollAt.getTime()).toBeGreaterThan(Date.now());
    expect(await spec.store.lease(pending, 60_000)).toBeNull();
    expect(await spec.store.lease(leased!, 60_000)).toBeNull();
  });

  it('finish settles a pending login once; reject and expire are then refused and answer the finished login', async () => {
    const pending = await started();
    await spec.events.take();
    const done = await spec.store.finish(pending, finished('mssp-1'));
    expect(done).toMatchObject({ status: 'FINISH', msspId: 'mssp-1', certificate: { serialNumber: '0A1B' } });
    const [event] = await spec.events.take();
    expect(event).toMatchObject({ type: 'LoginFinished', signDataId: pending.signDataId, certSerial: '0A1B' });
    expect(JSON.stringify(event)).not.toContain('mssp-1');

    expect(await spec.store.reject(pending)).toMatchObject({ status: 'FINISH' });
    expect(await spec.store.expire(pending)).toMatchObject({ status: 'FINISH' });
    expect(await spec.store.finish(pending, finished('mssp-other'))).toMatchObject({ msspId: 'mssp-1' });
    expect(await types()).toEqual([]);
    expect(await spec.store.lease({ ...done, nextPollAt: new Date(0) }, 60_000)).toBeNull();
  });

  it('reject and expire settle a pending login once', async () => {
    const a = await started();
    const b = await started();
    await spec.events.take();
    expect(await spec.store.reject(a)).toMatchObject({ status: 'REJECTED' });
    expect(await spec.store.expire(b)).toMatchObject({ status: 'EXPIRED' });
    expect(await types()).toEqual(['LoginRejected', 'LoginExpired']);
    expect(await spec.store.expire(a)).toMatchObject({ status: 'REJECTED' });
    expect(await spec.store.finish(b, finished('mssp-2'))).toMatchObject({ status: 'EXPIRED' });
    expect(await types()).toEqual([]);
  });

  it('bind binds an unbound authorization once; another code is refused', async () => {
    const msspId = `mssp-${randomUUID()}`;
    const pending = await started();
    await spec.store.finish(pending, finished(msspId));
    await spec.events.take();
    expect(await spec.store.bind(pending.signDataId, 'N001')).toMatchObject({ userCode: 'N001' });
    expect(await spec.events.take()).toEqual([
      expect.objectContaining({ type: 'AuthorizationBound', signDataId: pending.signDataId, userCode: 'N001' }),
    ]);
    expect(await spec.store.bind(pending.signDataId, 'N002')).toBeNull();
    expect(await spec.store.bind(pending.signDataId, 'N001')).toBeNull();
    expect((await spec.store.find(pending.signDataId))!.userCode).toBe('N001');
  });

  it('finds the latest finished login of a user; end ends each open one once', async () => {
    const msspId = `mssp-${randomUUID()}`;
    const older = await started();
    const newer = await started({ provider: 'anhui' });
    await spec.store.finish(older, finished(msspId, new Date(Date.now() - 60_000)));
    await spec.store.finish(newer, finished(msspId));
    expect((await spec.store.latestFinished(msspId))!.signDataId).toBe(newer.signDataId);
    expect((await spec.store.findByToken(older.tokenHash))!.signDataId).toBe(older.signDataId);
    expect((await spec.store.findByHandle(older.handleHash))!.signDataId).toBe(older.signDataId);
    expect(await spec.store.findByToken(older.handleHash)).toBeNull();
    expect((await spec.store.openProviders(msspId)).sort()).toEqual(['anhui', 'coss']);
    await spec.events.take();

    expect(await spec.store.end(msspId)).toBe(2);
    const ended = await spec.events.take();
    expect(ended.map((e) => e.type)).toEqual(['AuthorizationEnded', 'AuthorizationEnded']);
    expect(ended.map((e) => (e as { signDataId: string }).signDataId).sort()).toEqual(
      [older.signDataId, newer.signDataId].sort(),
    );
    expect((await spec.store.find(older.signDataId))!.endedAt).toBeInstanceOf(Date);
    expect(await spec.store.openProviders(msspId)).toEqual([]);
    expect(await spec.store.end(msspId)).toBe(0);
    expect(await types()).toEqual([]);
  });

  it('writes every transition’s audit item in its own update; a drain after a crash appends each once', async () => {
    const msspId = `mssp-${randomUUID()}`;
    const a = await started();
    const b = await started();
    const c = await started({ userCode: 'N007' });
    const d = await started();
    await spec.store.finish(a, finished(msspId));
    await spec.store.bind(a.signDataId, 'N001');
    await spec.store.finish(b, finished(msspId));
    await spec.store.end(msspId);
    await spec.store.reject(c);
    await spec.store.expire(d, new Date(Date.now() + 60_000));
    await spec.store.stopLateWatch(d, new Date());
    // The process "dies" here: every transition is committed, no drain has run.
    const mine = new Set([a, b, c, d].map((login) => login.signDataId));
    const entries = (await drainIntoChain(spec.db.connection, spec.store.auditOutbox())).filter((entry) =>
      mine.has((entry.subject as { signDataId: string }).signDataId),
    );
    const of = (login: { signDataId: string }) =>
      entries
        .filter((entry) => (entry.subject as { signDataId: string }).signDataId === login.signDataId)
        .map((entry) => `${entry.type}:${entry.outcome}`);
    expect(of(a)).toEqual([
      'LoginStarted:UNSIGN',
      'LoginFinished:FINISH',
      'AuthorizationBound:BOUND',
      'AuthorizationEnded:ENDED',
    ]);
    expect(of(b)).toEqual(['LoginStarted:UNSIGN', 'LoginFinished:FINISH', 'AuthorizationEnded:ENDED']);
    expect(of(c)).toEqual(['LoginStarted:UNSIGN', 'LoginRejected:REJECTED']);
    expect(of(d)).toEqual(['LoginStarted:UNSIGN', 'LoginExpired:EXPIRED', 'LateLoginEnded:ENDED_AT_VENDOR']);
    expect(entries.find((entry) => entry.type === 'LoginRejected')).toMatchObject({
      actor: { handleHash: shortHandleHash(c.handleHash) },
      subject: { signDataId: c.signDataId, userCode: 'N007', vendor: 'coss' },
    });
    const text = JSON.stringify(entries);
    for (const secret of [msspId, a.handleHash, a.tokenHash, 'qr://login', 'challenge', 'c2ln']) {
      expect(text).not.toContain(secret);
    }
    expect(await drainIntoChain(spec.db.connection, spec.store.auditOutbox())).toEqual([]);
    expect((await spec.store.find(a.signDataId))!.auditOutbox).toEqual([]);
  });

  it('purges an unfinished login only once its audit items are in the chain', async () => {
    const expired = await started();
    await spec.store.expire(expired);
    const later = new Date(Date.now() + 60_000);
    await spec.store.purgeUnfinished(later);
    expect(await spec.store.find(expired.signDataId)).not.toBeNull();
    await drainIntoChain(spec.db.connection, spec.store.auditOutbox());
    expect(await spec.store.purgeUnfinished(later)).toBeGreaterThanOrEqual(1);
    expect(await spec.store.find(expired.signDataId)).toBeNull();
  });
});
