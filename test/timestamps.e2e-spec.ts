import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import request from 'supertest';
import { toPem } from '../src/crypto/pem';
import { verifyStoredTimestamp } from '../src/evidence/timestamp';
import { CossSimulator } from '../src/simulators/coss/coss-simulator';
import { TsaSimulator } from '../src/simulators/tsa';
import type { TsaFaultKind } from '../src/simulators/tsa';
import { LoggedInNurse, loginWithCoss } from './support/coss-login';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

describe('Trusted timestamps of SIGNED records (stamper, TSA simulator)', () => {
  let coss: CossSimulator;
  let tsa: TsaSimulator;
  let t: TestApp;
  let nurse: LoggedInNurse;
  let dir: string;
  let seq = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsa-roots-'));
    [coss, tsa] = await Promise.all([CossSimulator.start({ port: 0 }), TsaSimulator.start()]);
    writeFileSync(join(dir, 'roots.pem'), tsa.authority.rootsPem);
    writeFileSync(join(dir, 'coss.pem'), toPem(coss.rootCertificateDer, 'CERTIFICATE'));
    t = await startTestApp({
      COSS_BASE_URL: coss.url,
      COSS_TRUSTED_ROOTS: join(dir, 'coss.pem'),
      CA_PROVIDERS: 'coss',
      TSA_URL: `${tsa.url}/tsa`,
      TSA_TRUSTED_ROOTS: join(dir, 'roots.pem'),
      TSA_TIMEOUT_MS: '500',
      TSA_SWEEP_INTERVAL_MS: '200',
    });
    nurse = await loginWithCoss(t, coss, 'N301');
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([coss.stop(), tsa.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => tsa.faults.clear());

  const sign = async () => {
    const docId = `TS-${Date.now()}-${++seq}`;
    const started = Date.now();
    const res = await request(t.http)
      .post('/windranger/doc/ca/signDocWithCa')
      .send({
        caIdentityParamsMap: { accessToken: nurse.msspId, signDataId: nurse.signDataId },
        docData: { id: docId, temperature: 36.6 },
        type: 'document',
        userCode: nurse.userCode,
      });
    return { res, docId, ms: Date.now() - started };
  };
  const timestampOf = async (docId: string) => {
    const res = await request(t.http).get('/windranger/doc/ca/records').query({ docId, type: 'document' });
    return res.body.data[0].timestamp as { status: string; genTime: string | null; reason?: string | null };
  };

  it('stamps a new signature in the background: records and the document show GRANTED and genTime', async () => {
    const before = tsa.requestCount;
    const { res, docId } = await sign();
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('SIGNED');
    const stamp = await waitFor(
      () => timestampOf(docId),
      (s) => s.status === 'GRANTED',
    );
    expect(stamp).toMatchObject({ status: 'GRANTED', hashAlgorithm: 'sm3', tsaSubject: expect.any(String) });
    const genTime = new Date(stamp.genTime!).getTime();
    expect(Math.abs(genTime - Date.now())).toBeLessThan(30_000);
    expect(tsa.requestCount - before).toBe(1);

    const doc = await request(t.http).get(`/windranger/doc/document/${docId}`);
    expect(doc.body.data.signature.timestamp).toMatchObject({ status: 'GRANTED', genTime: stamp.genTime });
    const record = await t.connection.collection('caExtendedData').findOne({ docId });
    const token = Buffer.from(record!.timestamp.token, 'base64');
    const check = await verifyStoredTimestamp(token, {
      data: Buffer.from(record!.signResult, 'base64'),
      trustedRoots: tsa.trustedRoots,
    });
    expect(check).toMatchObject({ ok: true, token: { genTime: new Date(stamp.genTime!) } });
  });

  const faults: [TsaFaultKind, string, string][] = [
    ['down', 'PENDING', 'UNREACHABLE'],
    ['slow', 'PENDING', 'TIMEOUT'],
    ['garbage', 'PENDING', 'BAD_RESPONSE'],
    ['bad-signature', 'FAILED', 'BAD_SIGNATURE'],
  ];
  it.each(faults)(
    'a TSA %s never fails or holds up a signature: SIGNED with %s (%s), GRANTED once the fault clears',
    async (kind, status, reason) => {
      tsa.faults.add({ kind, ...(kind === 'slow' && { delayMs: 3_000 }) });
      const { res, docId, ms } = await sign();
      expect(res.status).toBe(200);
      expect(res.body.data.status).toBe('SIGNED');
      expect(ms).toBeLessThan(2_000);
      const failed = await waitFor(
        () => timestampOf(docId),
        (s) => s.reason === reason,
      );
      expect(failed).toMatchObject({ status, genTime: null, reason });

      tsa.faults.clear();
      const granted = await waitFor(
        () => timestampOf(docId),
        (s) => s.status === 'GRANTED',
        15_000,
      );
      expect(granted.genTime).toEqual(expect.any(String));
    },
    25_000,
  );

  it('verifies at genTime: a certificate expired since is still valid, TIMESTAMPED, with a note', async () => {
    const shortLived = await coss.nurses.get('N303', { validForMs: 4_000 });
    const notAfter = shortLived.identity.cert.notAfter;
    const n = await loginWithCoss(t, coss, 'N303');
    const docId = `TS-LTV-${Date.now()}`;
    const res = await request(t.http)
      .post('/windranger/doc/ca/signDocWithCa')
      .send({
        caIdentityParamsMap: { accessToken: n.msspId, signDataId: n.signDataId },
        docData: { id: docId },
        type: 'document',
        userCode: n.userCode,
      });
    expect(res.body.data.status).toBe('SIGNED');
    const stamp = await waitFor(
      () => timestampOf(docId),
      (s) => s.status === 'GRANTED',
    );
    const record = await t.connection.collection('caExtendedData').findOne({ docId });
    expect(record!.signChain).toEqual([coss.rootCertificateDer.toString('base64')]);
    await sleep(Math.max(0, notAfter.getTime() - Date.now() + 200));

    const verified = await request(t.http).post(`/windranger/doc/ca/records/${String(record!._id)}/verify`);
    expect(verified.status).toBe(200);
    expect(verified.body.data).toMatchObject({ valid: true, assurance: 'TIMESTAMPED', validAt: stamp.genTime });
    expect(verified.body.data.notes).toEqual([expect.stringContaining('expired since')]);

    await t.connection
      .collection('caExtendedData')
      .updateOne({ _id: record!._id }, { $set: { 'timestamp.token': Buffer.from('not a token').toString('base64') } });
    const broken = await request(t.http).post(`/windranger/doc/ca/records/${String(record!._id)}/verify`);
    expect(broken.body.data).toMatchObject({ valid: false, reason: expect.stringMatching(/^TIMESTAMP_/) });
  });

  it('with TSA_DISABLED=true, signs without a timestamp: no timestamp block, no TSA request, no simulator', async () => {
    const off = await startTestApp({ COSS_BASE_URL: coss.url, CA_PROVIDERS: 'coss', TSA_DISABLED: 'true' });
    try {
      expect(off.app.get('TSA_IN_PROCESS_SIMULATOR')).toBeNull();
      const n = await loginWithCoss(off, coss, 'N302');
      const before = tsa.requestCount;
      const res = await request(off.http)
        .post('/windranger/doc/ca/signDocWithCa')
        .send({
          caIdentityParamsMap: { accessToken: n.msspId, signDataId: n.signDataId },
          docData: { id: 'TS-OFF' },
          type: 'document',
          userCode: n.userCode,
        });
      expect(res.body.data.status).toBe('SIGNED');
      const listed = await request(off.http)
        .get('/windranger/doc/ca/records')
        .query({ docId: 'TS-OFF', type: 'document' });
      expect(listed.body.data[0].timestamp).toBeNull();
      expect(await off.connection.collection('caExtendedData').countDocuments({ timestamp: { $exists: true } })).toBe(
        0,
      );
      expect(tsa.requestCount).toBe(before);
      const verified = await request(off.http).post(
        `/windranger/doc/ca/records/${listed.body.data[0].recordId}/verify`,
      );
      expect(verified.body.data).toMatchObject({
        valid: true,
        assurance: 'SIGNING_TIME',
        validAt: listed.body.data[0].signedAt,
        notes: [],
      });
    } finally {
      await off.close();
    }
  });
});
