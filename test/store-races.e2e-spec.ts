import { randomBytes, randomUUID } from 'node:crypto';
import mongoose, { Connection } from 'mongoose';
import { DomainEvent, EventBus } from '../src/events';
import { AuthorizationStore } from '../src/login/authorization.store';
import { CaAuthorization, CaAuthorizationSchema } from '../src/login/schemas/ca-authorization.schema';
import { CaExtendedData, CaExtendedDataSchema } from '../src/signing/schemas/ca-extended-data.schema';
import { NewRecord, SignatureRecordStore } from '../src/signing/signature-record.store';
import { itWhen, testEngine } from './support/engine';
import { STORED_SIGNATURE } from './support/store-database';

const RACERS = 20;

/** Stores under real concurrency, on whatever engine the run uses; what an engine cannot guarantee skips visibly. */
describe('Store transitions racing each other', () => {
  let connection: Connection;
  let records: SignatureRecordStore;
  let authorizations: AuthorizationStore;
  const seen: DomainEvent[] = [];

  beforeAll(async () => {
    const engine = testEngine();
    connection = await mongoose
      .createConnection(engine.uri, { ...engine.clientOptions, dbName: `races_${randomBytes(4).toString('hex')}` })
      .asPromise();
    const bus = new EventBus();
    bus.onAny((event) => void seen.push(event));
    const recordModel = connection.model(CaExtendedData.name, CaExtendedDataSchema);
    const authorizationModel = connection.model(CaAuthorization.name, CaAuthorizationSchema);
    await Promise.all([recordModel.init(), authorizationModel.init()]);
    records = new SignatureRecordStore(recordModel, bus);
    authorizations = new AuthorizationStore(authorizationModel, bus);
  });
  afterAll(async () => {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  });
  beforeEach(() => void (seen.length = 0));

  const fields = (): NewRecord => ({
    idempotencyKey: randomUUID(),
    userCode: 'N001',
    msspId: 'm',
    provider: 'coss',
    docId: randomUUID(),
    docType: 'document',
    signedContent: '{}',
    contentDigestSm3: 'd',
    authorizationSignDataId: 'SD',
  });
  const attempt = () => ({ attemptId: randomUUID(), leaseUntil: new Date(Date.now() + 60_000) });
  const settled = () => new Promise((resolve) => setImmediate(resolve));

  itWhen('uniqueIndexes')(`${RACERS} concurrent claims of the same content: one record, one holder`, async () => {
    const record = fields();
    const claims = await Promise.all(Array.from({ length: RACERS }, () => records.claim(record, attempt())));
    expect(claims.filter((claim) => claim.mine)).toHaveLength(1);
    expect(new Set(claims.map((claim) => String(claim.record._id))).size).toBe(1);
    expect(
      await connection.collection('caExtendedData').countDocuments({ idempotencyKey: record.idempotencyKey }),
    ).toBe(1);
    await settled();
    expect(seen.filter((event) => event.type === 'RecordClaimed')).toHaveLength(1);
  });

  itWhen('atomicUpdates')(`${RACERS} concurrent retakes of a FAILED record: one new holder`, async () => {
    const first = attempt();
    const { record } = await records.claim(fields(), first);
    await records.markFailed(record._id, first.attemptId, { type: 'X', message: 'x' });
    const retaken = await Promise.all(Array.from({ length: RACERS }, () => records.retake(record, attempt())));
    const winners = retaken.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect((await records.findById(record._id))!.attemptId).toBe(winners[0]!.attemptId);
  });

  itWhen('atomicUpdates')('markSigned and markFailed of one attempt racing: exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const mine = attempt();
      const { record } = await records.claim(fields(), mine);
      const [signed, failed] = await Promise.all([
        records.markSigned(record._id, mine.attemptId, STORED_SIGNATURE),
        records.markFailed(record._id, mine.attemptId, { type: 'X', message: 'x' }),
      ]);
      expect(Number(signed !== null) + Number(failed)).toBe(1);
      expect((await records.findById(record._id))!.status).toBe(signed ? 'SIGNED' : 'FAILED');
    }
  });

  itWhen('atomicUpdates')(
    `a login settles once when finish, reject and expire race; one bind of ${RACERS} wins`,
    async () => {
      const signDataId = `SD-${randomUUID()}`;
      const newLogin = {
        signDataId,
        handleHash: `h-${signDataId}`,
        tokenHash: `t-${signDataId}`,
        provider: 'coss',
        qrCode: 'qr',
        timeRegion: 60,
        validitySeconds: 60,
        qrExpiresAt: new Date(Date.now() + 60_000),
      };
      await authorizations.start(newLogin);
      const login = (await authorizations.find(signDataId))!;
      const finishedAt = new Date();
      const certificate = {
        der: 'd',
        serialNumber: '1',
        subject: 'CN=a',
        issuer: 'CN=b',
        notBefore: finishedAt,
        notAfter: new Date(Date.now() + 3600_000),
        keyAlgorithm: 'SM2',
        fingerprintSm3: 'f',
      };
      const finished = { msspId: 'm', identity: 'm', certificate, finishedAt, authorizedUntil: certificate.notAfter };
      const outcomes = await Promise.all([
        authorizations.finish(login, finished),
        authorizations.reject(login),
        authorizations.expire(login),
      ]);
      const final = (await authorizations.find(signDataId))!.status;
      expect(outcomes.map((o) => o.status)).toEqual([final, final, final]);
      await settled();
      expect(seen.filter((event) => event.type.startsWith('Login') && event.type !== 'LoginStarted')).toHaveLength(1);

      const open = `SD-${randomUUID()}`;
      await authorizations.start({ ...newLogin, signDataId: open, handleHash: `h-${open}`, tokenHash: `t-${open}` });
      await authorizations.finish((await authorizations.find(open))!, finished);
      const bound = await Promise.all(Array.from({ length: RACERS }, (_, i) => authorizations.bind(open, `N${i}`)));
      expect(bound.filter((b) => b !== null)).toHaveLength(1);
    },
  );
});
