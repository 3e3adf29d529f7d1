import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Types } from 'mongoose';
import request from 'supertest';
import { hasOpenssl, opensslStatus } from '../src/crypto/openssl-cli.testing';
import { toPem } from '../src/crypto/pem';
import { sm3Hex } from '../src/crypto/sm3';
import { TestCertificateAuthority, TestCrlOptions } from '../src/crypto/test-ca';
import { CrlRefresher } from '../src/evidence/crl/crl-refresher';
import { CrlRegistry } from '../src/evidence/crl/crl-registry';
import { CrlStore } from '../src/evidence/crl/crl.store';
import { AnhuiSimulator } from '../src/simulators/anhui/anhui-simulator';
import { CossSimulator } from '../src/simulators/coss/coss-simulator';
import { LoggedInNurse, loginWithCoss, signAsNurse } from './support/coss-login';
import { byHandle } from './support/handles';
import { logLines } from './support/log-lines';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

const POLL_MS = 100;
const DAY = 86_400_000;

/** A loopback CRL distribution point: each path serves what the spec last published there. */
class CrlServer {
  readonly published = new Map<string, { status: number; body: Buffer }>();
  hits = 0;
  private constructor(private readonly server: Server) {}

  static async start(): Promise<CrlServer> {
    const server = createServer();
    const crls = new CrlServer(server);
    server.on('request', (req, res) => {
      crls.hits += 1;
      const served = crls.published.get(req.url ?? '') ?? { status: 404, body: Buffer.alloc(0) };
      res.writeHead(served.status, { 'content-type': 'application/pkix-crl' }).end(served.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return crls;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  publish(path: string, body: Buffer, status = 200): Buffer {
    this.published.set(path, { status, body });
    return body;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** One CA's CRLs, numbered upwards as a real CA's are. */
class CrlIssuer {
  private number = 0;
  constructor(private readonly ca: TestCertificateAuthority) {}
  next(options: Omit<TestCrlOptions, 'crlNumber'> = {}): Buffer {
    return this.ca.issueCrl({ ...options, crlNumber: ++this.number });
  }
}

describe('Revocation (CRLs) at login, at signing and in long-term validation', () => {
  let coss: CossSimulator;
  let anhui: AnhuiSimulator;
  let crlServer: CrlServer;
  let cossCrls: CrlIssuer;
  let anhuiRsaCrls: CrlIssuer;
  let anhuiSm2Crls: CrlIssuer;
  let dir: string;
  const revokedAtStart: { serialNumber: string; revokedAt?: Date }[] = [];

  beforeAll(async () => {
    [coss, anhui, crlServer] = await Promise.all([
      CossSimulator.start({ port: 0 }),
      AnhuiSimulator.start({ port: 0 }),
      CrlServer.start(),
    ]);
    cossCrls = new CrlIssuer(coss.nurses.ca);
    anhuiRsaCrls = new CrlIssuer(anhui.users.authority('RSA'));
    anhuiSm2Crls = new CrlIssuer(anhui.users.authority('SM2'));
    dir = mkdtempSync(join(tmpdir(), 'crl-e2e-'));
    writeFileSync(join(dir, 'coss.pem'), toPem(coss.rootCertificateDer, 'CERTIFICATE'));
    writeFileSync(join(dir, 'anhui.pem'), anhui.caCertificates.map((der) => toPem(der, 'CERTIFICATE')).join(''));
  });
  afterAll(async () => {
    await Promise.all([coss?.stop(), anhui?.stop(), crlServer?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const gatewayEnv = (extra: Record<string, string> = {}) => ({
    COSS_BASE_URL: coss.url,
    COSS_TRUSTED_ROOTS: join(dir, 'coss.pem'),
    ANHUI_SCAN_BASE_URL: anhui.url,
    ANHUI_TRUSTED_ROOTS: join(dir, 'anhui.pem'),
    CA_PROVIDERS: 'coss,anhui',
    CA_DEFAULT_PROVIDER: 'coss',
    CA_POLL_INTERVAL_MS: String(POLL_MS),
    ANHUI_POLL_INTERVAL_MS: String(POLL_MS),
    CRL_URLS: ['/coss.crl', '/anhui-rsa.crl', '/anhui-sm2.crl'].map((p) => crlServer.url(p)).join(','),
    CRL_FETCH_TIMEOUT_MS: '2000',
    ...extra,
  });
  const result = (t: TestApp, signDataId: string) =>
    request(t.http).post('/coss/service/v1/getSignResult').send({ signDataId });
  const settled = (t: TestApp, signDataId: string) =>
    waitFor(
      () => result(t, signDataId),
      (res) => res.status !== 200 || res.body.data.jobStatus !== 'UNSIGN',
    );
  const refreshCrls = (t: TestApp) => t.app.get(CrlRefresher).refreshUrls();
  const records = (t: TestApp) => t.connection.collection('caExtendedData');
  const recordOf = (t: TestApp, recordId: string) => records(t).findOne({ _id: new Types.ObjectId(recordId) });

  async function startCossLogin(t: TestApp, code: string) {
    const started = await request(t.http)
      .post('/coss/service/v1/startAutoSign')
      .send({ userId: '', timeRegion: 60, userCode: code });
    expect(started.status).toBe(200);
    await coss.phone.scan(started.body.data.qrCode, code, 'approve');
    return started.body.data.signDataId as string;
  }

  describe('CRL_STALE_POLICY=warn (the default)', () => {
    let t: TestApp;
    const logs = logLines();
    let revokedNurse: string;
    let goodNurse: LoggedInNurse;

    beforeAll(async () => {
      revokedNurse = (await coss.nurses.get('RV-REVOKED')).identity.cert.serialNumber;
      const good = await coss.nurses.get('RV-GOOD');
      revokedAtStart.push({ serialNumber: revokedNurse });
      crlServer.publish('/coss.crl', cossCrls.next({ revoked: revokedAtStart }));
      crlServer.publish('/anhui-rsa.crl', anhuiRsaCrls.next());
      crlServer.publish('/anhui-sm2.crl', anhuiSm2Crls.next());
      // A CRL made by a key nobody trusts, under the COSS CA's very name, revoking the good nurse: it must be ignored.
      const impostor = await TestCertificateAuthority.create({
        commonName: 'COSS Simulator SM2 CA',
        organization: 'mnis-ca-gateway test',
      });
      writeFileSync(
        join(dir, 'impostor.crl'),
        impostor.issueCrl({ crlNumber: 999, revoked: [{ serialNumber: good.identity.cert.serialNumber }] }),
      );
      writeFileSync(join(dir, 'garbage.crl'), 'not a CRL');
      t = await startTestApp(
        gatewayEnv({
          CRL_FILES: `${join(dir, 'impostor.crl')},${join(dir, 'garbage.crl')}`,
          LOG_LEVEL: 'info',
        }),
        { logStream: logs.stream },
      );
    });
    afterAll(() => t?.close());

    it('ignores a CRL signed by an untrusted key, and an unreadable one, with a log line; the start goes on', async () => {
      const lines = logs.text();
      const ignored = lines.split('\n').filter((line) => line.includes('CRL file ignored'));
      expect(ignored).toHaveLength(2);
      expect(ignored.join('\n')).toContain('CRL_UNTRUSTED');
      expect(ignored.join('\n')).toContain('CRL_MALFORMED');
      goodNurse = await loginWithCoss(t, coss, 'RV-GOOD');
      expect(goodNurse.msspId).toEqual(expect.any(String));
    });

    it('refuses a COSS login whose certificate is revoked: REJECTED with reason CERT_REVOKED', async () => {
      const signDataId = await startCossLogin(t, 'RV-REVOKED');
      const res = await settled(t, signDataId);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ jobStatus: 'REJECTED', reason: 'CERT_REVOKED' });
      expect(res.body.data.msspId).toBeUndefined();
      const login = await t.connection.collection('caAuthorizations').findOne(byHandle(signDataId));
      expect(login).toMatchObject({ status: 'REJECTED', rejectReason: 'CERT_REVOKED' });
      expect(login!.msspId).toBeUndefined();
      // The vendor's authorization (COSS grants autoSign at the scan) is ended there too.
      const vendorUserId = (await coss.nurses.get('RV-REVOKED')).msspId;
      expect(coss.requests('endAutoSign').map((r) => r.userId)).toContain(vendorUserId);
    });

    it("keeps the CRL that was used: the record's reference, and its bytes once per digest in caCrls", async () => {
      const served = crlServer.published.get('/coss.crl')!.body;
      const login = await t.connection.collection('caAuthorizations').findOne(byHandle(goodNurse.signDataId));
      expect(login!.revocation).toMatchObject({ status: 'GOOD', crl: { sm3: sm3Hex(served) } });

      const ids: string[] = [];
      for (const n of [1, 2]) {
        const res = await signAsNurse(t, goodNurse, { id: `RV-KEEP-${n}-${Date.now()}` });
        expect(res.status).toBe(200);
        ids.push(res.body.data.recordId);
      }
      const record = await recordOf(t, ids[0]);
      expect(record!.status).toBe('SIGNED');
      expect(record!.revocation).toEqual({
        status: 'GOOD',
        checkedAt: expect.any(Date),
        crl: {
          issuer: coss.nurses.ca.root.cert.subject,
          number: '1',
          thisUpdate: expect.any(Date),
          nextUpdate: expect.any(Date),
          sm3: sm3Hex(served),
        },
      });
      expect((await recordOf(t, ids[1]))!.revocation.crl.sm3).toBe(sm3Hex(served));
      const kept = await t.connection
        .collection('caCrls')
        .find({ sm3: sm3Hex(served) })
        .toArray();
      expect(kept).toHaveLength(1);
      expect(Buffer.from(kept[0].der, 'base64')).toEqual(served);
      expect(kept[0]).toMatchObject({ issuer: coss.nurses.ca.root.cert.subject, number: '1' });

      const view = await request(t.http)
        .get('/windranger/doc/ca/records')
        .query({ docId: record!.docId, type: 'document' });
      expect(view.body.data[0].revocation).toMatchObject({ status: 'GOOD', crl: { number: '1', sm3: sm3Hex(served) } });
    });

    it('refuses signDocWithCa (COSS) for a certificate revoked after login: 403 CERT_REVOKED, record FAILED', async () => {
      const nurse = await loginWithCoss(t, coss, 'RV-LATER');
      const serialNumber = (await coss.nurses.get('RV-LATER')).identity.cert.serialNumber;
      revokedAtStart.push({ serialNumber });
      const hitsBefore = crlServer.hits;
      crlServer.publish('/coss.crl', cossCrls.next({ revoked: revokedAtStart }));
      expect(await refreshCrls(t)).toEqual(expect.arrayContaining([expect.objectContaining({ ok: true })]));
      expect(crlServer.hits - hitsBefore).toBe(3);

      const docId = `RV-LATER-${Date.now()}`;
      const res = await signAsNurse(t, nurse, { id: docId });
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ type: 'CERT_REVOKED', serialNumber, crl: { number: '2' } });
      const record = await records(t).findOne({ docId });
      expect(record).toMatchObject({ status: 'FAILED', failure: { type: 'CERT_REVOKED' } });
      expect(record!.signResult).toBeUndefined();
      expect(await t.connection.collection('nursingDocuments').countDocuments({ docId })).toBe(0);

      const again = await signAsNurse(t, nurse, { id: docId });
      expect(again.status).toBe(403);
      expect((await records(t).findOne({ docId }))!.status).toBe('FAILED');
    });

    it('keeps the last good CRL when its URL fails (CRL_URLS over real HTTP)', async () => {
      const good = crlServer.published.get('/coss.crl')!.body;
      crlServer.publish('/coss.crl', Buffer.from('down'), 503);
      const outcomes = await refreshCrls(t);
      expect(outcomes).toContainEqual({ url: crlServer.url('/coss.crl'), ok: false, reason: 'HTTP 503' });
      crlServer.publish('/coss.crl', Buffer.from('garbage'));
      expect(await refreshCrls(t)).toContainEqual({
        url: crlServer.url('/coss.crl'),
        ok: false,
        reason: 'CRL_MALFORMED',
      });
      const signDataId = await startCossLogin(t, 'RV-REVOKED');
      expect((await settled(t, signDataId)).body.data).toMatchObject({ jobStatus: 'REJECTED', reason: 'CERT_REVOKED' });
      crlServer.publish('/coss.crl', good);
    });

    async function loginWithAnhui(user: string, userCode: string) {
      const started = await request(t.http)
        .post('/coss/service/v1/startAutoSign')
        .send({ provider: 'anhui', timeRegion: 60, userCode });
      await anhui.app.scan({ qr: started.body.data.qrCode, user });
      const done = await settled(t, started.body.data.signDataId);
      expect(done.body.data.jobStatus).toBe('FINISH');
      return { signDataId: started.body.data.signDataId as string, msspId: done.body.data.msspId as string, userCode };
    }

    it('refuses signDocWithCa for a revoked Anhui RSA nurse before her phone is asked: 403 CERT_REVOKED', async () => {
      const user = await anhui.users.add({ code: 'rv-rsa', keyAlgorithm: 'RSA' });
      const nurse = await loginWithAnhui('rv-rsa', 'RV-A1');
      crlServer.publish('/anhui-rsa.crl', anhuiRsaCrls.next({ revoked: [{ serialNumber: user.cert.serialNumber }] }));
      await refreshCrls(t);
      const docId = `RV-RSA-${Date.now()}`;
      const res = await signAsNurse(t, nurse, { id: docId });
      expect(res.status).toBe(403);
      expect(res.body.error.type).toBe('CERT_REVOKED');
      expect(await records(t).findOne({ docId })).toMatchObject({
        status: 'FAILED',
        failure: { type: 'CERT_REVOKED' },
      });
    });

    it('refuses an Anhui SM2 signature whose certificate is revoked while the job waits for the scan', async () => {
      const user = await anhui.users.add({ code: 'rv-sm2', keyAlgorithm: 'SM2' });
      const nurse = await loginWithAnhui('rv-sm2', 'RV-A2');
      const docId = `RV-SM2-${Date.now()}`;
      const signed = await signAsNurse(t, nurse, { id: docId });
      expect(signed.body.data.status).toBe('PENDING_SCAN');

      crlServer.publish('/anhui-sm2.crl', anhuiSm2Crls.next({ revoked: [{ serialNumber: user.cert.serialNumber }] }));
      await refreshCrls(t);
      await anhui.app.scan({ qr: signed.body.data.qrCode, user: 'rv-sm2' });
      const res = await settled(t, signed.body.data.signDataId);
      expect(res.status).toBe(403);
      expect(res.body.error.type).toBe('CERT_REVOKED');
      const after = await result(t, signed.body.data.signDataId);
      expect(after.body.data).toMatchObject({ jobStatus: 'FAILED', failure: { type: 'CERT_REVOKED' } });
      expect(await records(t).findOne({ docId })).toMatchObject({
        status: 'FAILED',
        failure: { type: 'CERT_REVOKED' },
      });
      expect(await t.connection.collection('nursingDocuments').countDocuments({ docId })).toBe(0);
    });

    it('ends operations that accept a revoked certificate FAILED with CERT_REVOKED: encrypt and seal', async () => {
      const operations: [string, object][] = [
        ['encrypt', { plaintext: 'not for a revoked certificate' }],
        ['seal', { documentHash: createHash('sha256').update('revoked').digest('hex'), sealName: '护理专用章' }],
      ];
      for (const [path, body] of operations) {
        const started = await request(t.http).post(`/ca/operations/${path}`).send(body);
        expect(started.status).toBe(200);
        await anhui.app.scan({ qr: started.body.data.qrCode, user: 'rv-rsa' });
        const done = await waitFor(
          () => request(t.http).get(`/ca/operations/${started.body.data.operationId}`),
          (res) => res.status !== 200 || res.body.data.status !== 'PENDING',
        );
        expect(done.body.data).toMatchObject({ type: path, status: 'FAILED', failure: { type: 'CERT_REVOKED' } });
        expect(done.body.data.result).toBeUndefined();
      }
    });

    (hasOpenssl ? it : it.skip)('keeps CRL bytes that `openssl crl -verify` accepts (Anhui RSA CA)', async () => {
      const served = crlServer.published.get('/anhui-rsa.crl')!.body;
      const kept = await t.connection.collection('caCrls').findOne({ sm3: sm3Hex(served) });
      expect(kept).not.toBeNull();
      writeFileSync(join(dir, 'kept.crl'), Buffer.from(kept!.der, 'base64'));
      writeFileSync(join(dir, 'anhui-rsa.pem'), toPem(anhui.users.authority('RSA').root.cert.der, 'CERTIFICATE'));
      const args = ['crl', '-inform', 'DER', '-in', join(dir, 'kept.crl'), '-noout', '-verify'];
      const ok = opensslStatus([...args, '-CAfile', join(dir, 'anhui-rsa.pem')]);
      expect(ok.output).toContain('verify OK');
      const other = opensslStatus([...args, '-CAfile', join(dir, 'coss.pem')]);
      expect(other.output).not.toContain('verify OK');
    });

    describe('long-term validation (POST records/{id}/verify) at the signing time or genTime', () => {
      /** Signs as a fresh nurse and waits for the timestamp: her certificate is revoked only afterwards. */
      const signAndStamp = async (code: string) => {
        const nurse = await loginWithCoss(t, coss, code);
        const serialNumber = (await coss.nurses.get(code)).identity.cert.serialNumber;
        const res = await signAsNurse(t, nurse, { id: `${code}-${Date.now()}` });
        expect(res.status).toBe(200);
        const recordId = res.body.data.recordId as string;
        const record = await waitFor(
          () => recordOf(t, recordId),
          (r) => r?.timestamp?.status === 'GRANTED',
        );
        const validAt = record!.timestamp.genTime as Date;
        return { recordId, serialNumber, validAt, kept: record!.revocation.crl.sm3 as string };
      };
      const verify = (recordId: string) => request(t.http).post(`/windranger/doc/ca/records/${recordId}/verify`);

      it('a certificate revoked after genTime is still valid at genTime, with a note', async () => {
        const { recordId, serialNumber, validAt, kept } = await signAndStamp('RV-LTV-AFTER');
        await sleep(Math.max(0, validAt.getTime() + 1_500 - Date.now()));
        revokedAtStart.push({ serialNumber, revokedAt: new Date() });
        const crl = crlServer.publish('/coss.crl', cossCrls.next({ revoked: revokedAtStart }));
        await refreshCrls(t);
        const res = await verify(recordId);
        expect(res.status).toBe(200);
        expect(res.body.data).toMatchObject({
          valid: true,
          assurance: 'TIMESTAMPED',
          validAt: validAt.toISOString(),
          revocation: { status: 'GOOD', revokedAt: expect.any(String), crl: { sm3: sm3Hex(crl) } },
        });
        expect(new Date(res.body.data.revocation.revokedAt).getTime()).toBeGreaterThan(validAt.getTime());
        expect(res.body.data.notes).toContainEqual(expect.stringContaining('revoked at'));
        expect(sm3Hex(crl)).not.toBe(kept);
        expect(await t.connection.collection('caCrls').countDocuments({ sm3: sm3Hex(crl) })).toBe(1);
      });

      it('a certificate revoked before genTime (a backdated revocation) is invalid: CERT_REVOKED', async () => {
        const { recordId, serialNumber, validAt } = await signAndStamp('RV-LTV-BEFORE');
        const revokedAt = new Date(Math.floor(validAt.getTime() / 1000) * 1000 - 60_000);
        revokedAtStart.push({ serialNumber, revokedAt });
        crlServer.publish('/coss.crl', cossCrls.next({ revoked: revokedAtStart }));
        await refreshCrls(t);
        const res = await verify(recordId);
        expect(res.body.data).toMatchObject({
          valid: false,
          reason: 'CERT_REVOKED',
          revocation: { status: 'REVOKED', revokedAt: revokedAt.toISOString() },
        });
      });

      it('says so when the CRL a record names is no longer kept intact, and answers from the newest CRL', async () => {
        const { recordId, kept } = await signAndStamp('RV-LTV-TAMPER');
        const crls = t.connection.collection('caCrls');
        const original = (await crls.findOne({ sm3: kept }))!;
        const tampered = Buffer.from(original.der, 'base64');
        tampered[tampered.length - 1] ^= 1;
        await crls.updateOne({ sm3: kept }, { $set: { der: tampered.toString('base64') } });
        try {
          const res = await verify(recordId);
          expect(res.body.data).toMatchObject({ valid: true, revocation: { status: 'GOOD' } });
          expect(res.body.data.notes).toContainEqual(expect.stringContaining(`do not match its SM3 ${kept}`));
          await crls.deleteOne({ sm3: kept });
          const gone = await verify(recordId);
          expect(gone.body.data.notes).toContainEqual(expect.stringContaining(`(SM3 ${kept}) is not kept`));
        } finally {
          await crls.deleteOne({ sm3: kept });
          await crls.insertOne(original);
        }
      });
    });

    it('keeps one copy of a CRL however many checks keep it at once', async () => {
      const der = crlServer.publish('/anhui-sm2.crl', anhuiSm2Crls.next());
      await refreshCrls(t);
      const fresh = t.app.get(CrlStore, { strict: false });
      const crl = t.app.get(CrlRegistry, { strict: false }).crlOf(sm3Hex(der))!;
      await Promise.all(Array.from({ length: 20 }, () => fresh.keep(crl)));
      expect(await t.connection.collection('caCrls').countDocuments({ sm3: sm3Hex(der) })).toBe(1);
    });

    it('accepts a signature on a CRL past its nextUpdate under warn: logged, and noted on the record', async () => {
      crlServer.publish(
        '/coss.crl',
        cossCrls.next({
          revoked: revokedAtStart,
          thisUpdate: new Date(Date.now() - 3 * DAY),
          nextUpdate: new Date(Date.now() - DAY),
        }),
      );
      await refreshCrls(t);
      const res = await signAsNurse(t, goodNurse, { id: `RV-STALE-${Date.now()}` });
      expect(res.status).toBe(200);
      const record = await recordOf(t, res.body.data.recordId);
      expect(record!.revocation).toMatchObject({
        status: 'GOOD',
        stale: true,
        note: expect.stringContaining('CRL_STALE_POLICY=warn'),
      });
      expect(logs.text()).toContain('CRL past its nextUpdate is still in use');
    });
  });

  describe('CRL_STALE_POLICY=refuse', () => {
    let t: TestApp;

    beforeAll(async () => {
      crlServer.publish('/coss.crl', cossCrls.next({ revoked: revokedAtStart }));
      t = await startTestApp(gatewayEnv({ CRL_STALE_POLICY: 'refuse' }));
    });
    afterAll(() => t?.close());

    it('refuses to sign or log in on a stale CRL with 503 CRL_STALE; the record FAILED, the login still UNSIGN', async () => {
      const nurse = await loginWithCoss(t, coss, 'RV-REFUSE');
      crlServer.publish(
        '/coss.crl',
        cossCrls.next({ thisUpdate: new Date(Date.now() - 3 * DAY), nextUpdate: new Date(Date.now() - DAY) }),
      );
      await refreshCrls(t);

      const docId = `RV-REFUSE-${Date.now()}`;
      const res = await signAsNurse(t, nurse, { id: docId });
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({ type: 'CRL_STALE', issuer: coss.nurses.ca.root.cert.subject });
      expect(await records(t).findOne({ docId })).toMatchObject({ status: 'FAILED', failure: { type: 'CRL_STALE' } });

      const signDataId = await startCossLogin(t, 'RV-REFUSE-2');
      const login = await waitFor(
        () => result(t, signDataId),
        (r) => r.status !== 200,
      );
      expect(login.status).toBe(503);
      expect(login.body.error.type).toBe('CRL_STALE');
      expect(await t.connection.collection('caAuthorizations').findOne(byHandle(signDataId))).toMatchObject({
        status: 'UNSIGN',
      });

      // A fresh CRL lets the same login finish.
      crlServer.publish('/coss.crl', cossCrls.next({ revoked: revokedAtStart }));
      await refreshCrls(t);
      expect((await settled(t, signDataId)).body.data.jobStatus).toBe('FINISH');
    });
  });
});
