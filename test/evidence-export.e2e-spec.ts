import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Types } from 'mongoose';
import request from 'supertest';
import yauzl from 'yauzl';
import { parseCertificate, type KeyAlgorithm } from '../src/crypto';
import { toPem } from '../src/crypto/pem';
import { sm3Hex } from '../src/crypto/sm3';
import type { TestCertificateAuthority } from '../src/crypto/test-ca';
import { hasOpenssl } from '../src/crypto/openssl-cli.testing';
import { AuditAnchorJob } from '../src/evidence/audit/audit-anchor.job';
import { AuditLogStore } from '../src/evidence/audit/audit-log.store';
import { auditConfig } from '../src/evidence/audit/audit.config';
import { HeadTimestamp, HeadTimestamper } from '../src/evidence/audit/head-timestamper';
import type { TimestampClient } from '../src/evidence/timestamp';
import { AnhuiSimulator } from '../src/simulators/anhui/anhui-simulator';
import { CossSimulator } from '../src/simulators/coss/coss-simulator';
import { TsaSimulator } from '../src/simulators/tsa';
import { loginWithCoss } from './support/coss-login';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

const READ_SECRET = 'evidence-read-secret-0123456789';
const API_KEYS = JSON.stringify([{ id: 'auditor', key: READ_SECRET, scopes: ['read'] }]);
const bearer = `Bearer ${READ_SECRET}`;
const describeWithOpenssl = hasOpenssl ? describe : describe.skip;
if (!hasOpenssl) {
  it.skip('exported bundles verify with the OpenSSL CLI [SKIPPED: no openssl on this machine]', () => undefined);
}

/** The audit anchor job's timestamper, on the simulator TSA, until the gateway wires one of its own. */
class SimulatorHeadTimestamper extends HeadTimestamper {
  constructor(private readonly client: TimestampClient) {
    super();
  }
  async stampHead(headHash: string): Promise<HeadTimestamp> {
    const result = await this.client.timestamp(Buffer.from(headHash, 'utf8'));
    if (!result.ok) throw new Error(`TSA: ${result.failure.reason}`);
    return { token: result.token.tokenDer, genTime: result.token.genTime, hashAlgorithm: result.token.hashAlgorithm };
  }
  async verifyHead(): Promise<{ valid: boolean }> {
    return { valid: true };
  }
}

async function unzip(zip: Buffer, dir: string): Promise<string[]> {
  const archive = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => (error ? reject(error) : resolve(file))),
  );
  const names: string[] = [];
  await new Promise<void>((resolve, reject) => {
    archive.on('entry', (entry: yauzl.Entry) => {
      archive.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const path = join(dir, entry.fileName);
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, Buffer.concat(chunks));
          names.push(entry.fileName);
          archive.readEntry();
        });
      });
    });
    archive.on('end', resolve);
    archive.on('error', reject);
    archive.readEntry();
  });
  return names.sort();
}

/** The commands of VERIFY.md, literally: every line of its ```sh blocks, by section heading. */
function verifyCommands(markdown: string): { section: string; command: string }[] {
  const commands: { section: string; command: string }[] = [];
  let section = '';
  let inBlock = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) section = line.slice(3);
    else if (line === '```sh') inBlock = true;
    else if (line === '```') inBlock = false;
    else if (inBlock && line.trim()) commands.push({ section, command: line });
  }
  return commands;
}

function run(command: string, cwd: string): { ok: boolean; output: string } {
  const result = spawnSync('sh', ['-c', command], { cwd, encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

describeWithOpenssl.each<[KeyAlgorithm]>([['SM2'], ['RSA']])(
  'Evidence bundles verified offline by the OpenSSL CLI (simulator TSA %s)',
  (tsaAlgorithm) => {
    let coss: CossSimulator;
    let anhui: AnhuiSimulator;
    let tsa: TsaSimulator;
    let t: TestApp;
    let roots: string;
    let work: string;
    let seq = 0;

    beforeAll(async () => {
      roots = mkdtempSync(join(tmpdir(), 'evidence-roots-'));
      work = mkdtempSync(join(tmpdir(), 'evidence-bundles-'));
      [coss, anhui, tsa] = await Promise.all([
        CossSimulator.start({ port: 0 }),
        AnhuiSimulator.start({ port: 0 }),
        TsaSimulator.start(),
      ]);
      writeFileSync(join(roots, 'tsa.pem'), tsa.authority.rootsPem);
      writeFileSync(join(roots, 'coss.pem'), toPem(coss.rootCertificateDer, 'CERTIFICATE'));
      writeFileSync(
        join(roots, 'anhui.pem'),
        anhui.users.caCertificates.map((der) => toPem(der, 'CERTIFICATE')).join(''),
      );
      const crls = {
        coss: coss.nurses.ca,
        'anhui-sm2': anhui.users.authority('SM2'),
        'anhui-rsa': anhui.users.authority('RSA'),
      };
      for (const [name, ca] of Object.entries(crls))
        writeFileSync(join(roots, `${name}.crl`), ca.issueCrl({ crlNumber: 1 }));
      t = await startTestApp({
        API_KEYS,
        CA_PROVIDERS: 'coss,anhui',
        CA_DEFAULT_PROVIDER: 'coss',
        COSS_BASE_URL: coss.url,
        COSS_TRUSTED_ROOTS: join(roots, 'coss.pem'),
        ANHUI_SCAN_BASE_URL: anhui.url,
        ANHUI_TRUSTED_ROOTS: join(roots, 'anhui.pem'),
        CA_POLL_INTERVAL_MS: '100',
        ANHUI_POLL_INTERVAL_MS: '100',
        TSA_URL: tsa.urlFor(tsaAlgorithm),
        TSA_HASH: tsaAlgorithm === 'RSA' ? 'sha256' : 'sm3',
        TSA_TRUSTED_ROOTS: join(roots, 'tsa.pem'),
        TSA_TIMEOUT_MS: '1000',
        TSA_SWEEP_INTERVAL_MS: '200',
        CRL_FILES: ['coss', 'anhui-sm2', 'anhui-rsa'].map((name) => join(roots, `${name}.crl`)).join(','),
      });
    });
    afterAll(async () => {
      await t?.close();
      await Promise.all([coss?.stop(), anhui?.stop(), tsa?.stop()]);
      rmSync(roots, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    });
    afterEach(() => tsa.faults.clear());

    const signBody = (accessToken: string, userCode: string, docId: string, signDataId?: string) => ({
      caIdentityParamsMap: { accessToken, ...(signDataId && { signDataId }) },
      docData: { id: docId, temperature: 36.6, note: '夜班巡视' },
      type: 'document',
      userCode,
    });
    const recordOf = (recordId: string) =>
      t.connection.collection('caExtendedData').findOne({ _id: new Types.ObjectId(recordId) });

    async function signWithCoss(): Promise<string> {
      const nurse = await loginWithCoss(t, coss, `E${tsaAlgorithm}1`);
      const res = await request(t.http)
        .post('/windranger/doc/ca/signDocWithCa')
        .send(signBody(nurse.msspId, nurse.userCode, `EV-${Date.now()}-${++seq}`, nurse.signDataId));
      expect(res.body.data).toMatchObject({ status: 'SIGNED' });
      return res.body.data.recordId;
    }

    // One person per UserCode (enrollment): each simulated nurse keeps one UserCode.
    const anhuiUserCode = (user: 'sm2-nurse' | 'rsa-nurse') => `A${tsaAlgorithm}${user[0]}`;

    async function signWithAnhui(user: 'sm2-nurse' | 'rsa-nurse'): Promise<string> {
      const userCode = anhuiUserCode(user);
      ++seq;
      const started = await request(t.http)
        .post('/coss/service/v1/startAutoSign')
        .send({ provider: 'anhui', timeRegion: 60, userCode });
      await anhui.app.scan({ qr: started.body.data.qrCode, user });
      const login = await waitFor(
        () => request(t.http).post('/coss/service/v1/getSignResult').send({ signDataId: started.body.data.signDataId }),
        (res) => res.body.data?.jobStatus !== 'UNSIGN',
      );
      const signed = await request(t.http)
        .post('/windranger/doc/ca/signDocWithCa')
        .send(signBody(login.body.data.msspId, userCode, `EV-${Date.now()}-${seq}`));
      expect(signed.body.data).toMatchObject({ status: 'PENDING_SCAN' });
      await anhui.app.scan({ qr: signed.body.data.qrCode, user });
      // The PC follows the signing job; that is what has the gateway ask the scan service.
      const done = await waitFor(
        () => request(t.http).post('/coss/service/v1/getSignResult').send({ signDataId: signed.body.data.signDataId }),
        (res) => res.body.data?.jobStatus !== 'UNSIGN',
      );
      expect(done.body.data).toMatchObject({ jobStatus: 'FINISH' });
      return signed.body.data.recordId;
    }

    const granted = (recordId: string) =>
      waitFor(
        () => recordOf(recordId),
        (record) => record?.timestamp?.status === 'GRANTED',
      );

    /** Waits for the record's signing entries in the audit chain, then anchors the head as the anchor job would. */
    async function anchorAfter(recordId: string): Promise<void> {
      const store = t.app.get(AuditLogStore);
      await waitFor(
        () => store.forRecord(recordId),
        (entries) => entries.some((entry) => entry.type === 'RecordSigned'),
      );
      const job = new AuditAnchorJob(
        store,
        t.app.get(auditConfig.KEY),
        new SimulatorHeadTimestamper(tsa.client(tsaAlgorithm, { hash: tsaAlgorithm === 'RSA' ? 'sha256' : 'sm3' })),
      );
      // The running gateway keeps appending (its outbox drain, reads): a round whose head moved meanwhile makes no
      // anchor, as the job's next round would try again.
      const anchor = await waitFor(
        () => job.anchorNow(),
        (made) => made !== null,
        20_000,
        50,
      );
      expect(anchor).toMatchObject({ type: 'AUDIT_ANCHOR' });
    }

    async function download(recordId: string): Promise<{ dir: string; files: string[]; verify: string }> {
      const res = await request(t.http)
        .get(`/windranger/doc/ca/records/${recordId}/evidence`)
        .set('authorization', bearer)
        .buffer(true)
        .parse((response, done) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/zip');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="evidence-${recordId}.zip"`);
      const dir = mkdtempSync(join(work, `${recordId}-`));
      const files = await unzip(res.body as Buffer, dir);
      return { dir, files, verify: readFileSync(join(dir, 'VERIFY.md'), 'utf8') };
    }

    function runAll(verify: string, dir: string, only?: (section: string) => boolean) {
      return verifyCommands(verify)
        .filter(({ section }) => !only || only(section))
        .map(({ section, command }) => ({ section, command, ...run(command, dir) }));
    }

    function flipOneByte(dir: string, file = 'signed.json', at = (length: number) => Math.floor(length / 2)): void {
      const path = join(dir, file);
      const bytes = readFileSync(path);
      bytes[at(bytes.length)] ^= 0x01;
      writeFileSync(path, bytes);
    }

    const revocationCommands = (section: string) => section.startsWith('6.');
    const failing = (results: { ok: boolean; command: string }[]) => results.filter((r) => !r.ok).map((r) => r.command);

    const cases: [string, () => Promise<string>, string, () => TestCertificateAuthority][] = [
      ['a COSS record (raw SM2)', signWithCoss, 'signature.der', () => coss.nurses.ca],
      [
        'an Anhui sm2-nurse record (SM2 PKCS#7)',
        () => signWithAnhui('sm2-nurse'),
        'signature.p7s',
        () => anhui.users.authority('SM2'),
      ],
      [
        'an Anhui rsa-nurse record (RSA PKCS#7)',
        () => signWithAnhui('rsa-nurse'),
        'signature.p7s',
        () => anhui.users.authority('RSA'),
      ],
    ];

    it.each(cases)(
      '%s: every VERIFY.md command passes; the signature fails once a byte of signed.json is flipped, the CRL checks once crl.der lists the signer or is altered',
      async (_name, sign, signatureFile, crlIssuer) => {
        const recordId = await sign();
        const record = await granted(recordId);
        await anchorAfter(recordId);
        const { dir, files, verify } = await download(recordId);

        expect(files).toEqual(
          expect.arrayContaining([
            'VERIFY.md',
            'audit.jsonl',
            'chain.pem',
            'crl.der',
            'signed.json',
            signatureFile,
            'signer.pem',
            'timestamp.tsr',
            'tsa-chain.pem',
            'tsa.pem',
          ]),
        );
        expect(readFileSync(join(dir, 'signed.json'), 'utf8')).toBe(record!.signedContent);
        expect(readFileSync(join(dir, signatureFile)).toString('base64')).toBe(record!.signResult);
        expect(Buffer.from(record!.timestamp.token, 'base64').equals(readFileSync(join(dir, 'timestamp.tsr')))).toBe(
          true,
        );
        const audit = readFileSync(join(dir, 'audit.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line));
        expect(audit.filter((entry) => entry.subject?.recordId === recordId).map((entry) => entry.type)).toEqual(
          expect.arrayContaining(['RecordClaimed', 'RecordSigned']),
        );
        const anchor = audit.find((entry) => entry.type === 'AUDIT_ANCHOR');
        expect(anchor.anchor.headSeq).toBeGreaterThanOrEqual(Math.max(...audit.map((e) => (e.anchor ? 0 : e.seq))));
        expect(files).toContain(`audit-anchors/${anchor.seq}.tsr`);
        expect(audit.every((entry) => /^[0-9a-f]{64}$/.test(entry.hash))).toBe(true);

        const results = runAll(verify, dir);
        expect(results.length).toBeGreaterThanOrEqual(6);
        expect(results.filter((r) => !r.ok)).toEqual([]);
        const sections = new Set(results.map((r) => r.section));
        expect([...sections].map((s) => s.slice(0, 2))).toEqual(['2.', '3.', '4.', '5.', '6.']);

        // The CRL: the kept bytes under the record's digest, and checks that fail when it lists the signer or is altered.
        const crl = readFileSync(join(dir, 'crl.der'));
        expect(sm3Hex(crl)).toBe(record!.revocation.crl.sm3);
        const crlChecks = runAll(verify, dir, revocationCommands);
        expect(crlChecks.map((r) => r.command)).toEqual(
          expect.arrayContaining([
            expect.stringContaining(`openssl dgst -sm3 -r crl.der | grep -q '^${record!.revocation.crl.sm3} '`),
            expect.stringMatching(/^openssl (crl .*-verify -CAfile chain\.pem|dgst -sm3 -verify crl-issuer\.pub\.pem)/),
            expect.stringContaining('Serial Number: $serial'),
          ]),
        );
        const serialNumber = parseCertificate(record!.signCert).serialNumber;
        writeFileSync(join(dir, 'crl.der'), crlIssuer().issueCrl({ crlNumber: 99, revoked: [{ serialNumber }] }));
        // A CRL of the same CA that lists the signer: the serial check fails, and so does the digest. (The SM2 signature
        // check fails too, since VERIFY.md's asn1parse offsets are those of the bundled CRL.)
        expect(failing(runAll(verify, dir, revocationCommands))).toEqual(
          expect.arrayContaining([
            expect.stringContaining('openssl dgst -sm3 -r crl.der'),
            expect.stringContaining('Serial Number: $serial'),
          ]),
        );
        writeFileSync(join(dir, 'crl.der'), crl);
        flipOneByte(dir, 'crl.der', (length) => length - 1);
        expect(failing(runAll(verify, dir, revocationCommands))).toEqual([
          expect.stringContaining('openssl dgst -sm3 -r crl.der'),
          expect.stringMatching(/^openssl (crl .*-verify|dgst -sm3 -verify crl-issuer)/),
        ]);

        flipOneByte(dir);
        const signature = runAll(verify, dir, (section) => section.startsWith('2.'));
        expect(signature.length).toBeGreaterThan(0);
        expect(signature.some((r) => !r.ok)).toBe(true);
      },
      60_000,
    );

    it('bundles no timestamp.tsr while the timestamp is PENDING, and VERIFY.md says so; its commands pass', async () => {
      tsa.faults.add({ kind: 'down' });
      tsa.faults.add({ kind: 'down' });
      const recordId = await signWithCoss();
      const record = await recordOf(recordId);
      expect(record!.timestamp.status).toBe('PENDING');
      const { dir, files, verify } = await download(recordId);
      expect(files).not.toContain('timestamp.tsr');
      expect(verify).toContain('There is no `timestamp.tsr` in this bundle. The timestamp is still PENDING');
      const results = runAll(verify, dir);
      expect(results.filter((r) => !r.ok)).toEqual([]);
      expect(results.some((r) => r.command.includes(`-attime ${Math.floor(record!.signedAt.getTime() / 1000)}`))).toBe(
        true,
      );
    });

    it('says in VERIFY.md when no revocation data was kept, or when the kept CRL bytes no longer match', async () => {
      const recordId = await signWithCoss();
      const record = await recordOf(recordId);
      const crls = t.connection.collection('caCrls');
      const original = (await crls.findOne({ sm3: record!.revocation.crl.sm3 }))!;
      const altered = Buffer.from(original.der, 'base64');
      altered[altered.length - 1] ^= 1;
      await crls.updateOne({ _id: original._id }, { $set: { der: altered.toString('base64') } });
      try {
        const mismatch = await download(recordId);
        expect(mismatch.files).not.toContain('crl.der');
        expect(mismatch.verify).toContain('no longer match it');
      } finally {
        await crls.updateOne({ _id: original._id }, { $set: { der: original.der } });
      }

      await t.connection
        .collection('caExtendedData')
        .updateOne({ _id: new Types.ObjectId(recordId) }, { $unset: { revocation: '' } });
      const { dir, files, verify } = await download(recordId);
      expect(files).not.toContain('crl.der');
      expect(verify).toContain('No revocation data was kept for this record');
      expect(runAll(verify, dir).filter((r) => !r.ok)).toEqual([]);
      expect(runAll(verify, dir, revocationCommands)).toEqual([]);
    });

    it('answers 404 for an unknown record, 409 for one not SIGNED, 401 without a key', async () => {
      const unknown = await request(t.http)
        .get('/windranger/doc/ca/records/0123456789abcdef01234567/evidence')
        .set('authorization', bearer);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({ type: 'NOT_FOUND' });
      const bad = await request(t.http).get('/windranger/doc/ca/records/nope/evidence').set('authorization', bearer);
      expect(bad.status).toBe(400);

      const userCode = anhuiUserCode('sm2-nurse');
      const started = await request(t.http)
        .post('/coss/service/v1/startAutoSign')
        .send({ provider: 'anhui', timeRegion: 60, userCode });
      await anhui.app.scan({ qr: started.body.data.qrCode, user: 'sm2-nurse' });
      const login = await waitFor(
        () => request(t.http).post('/coss/service/v1/getSignResult').send({ signDataId: started.body.data.signDataId }),
        (res) => res.body.data?.jobStatus !== 'UNSIGN',
      );
      const pending = await request(t.http)
        .post('/windranger/doc/ca/signDocWithCa')
        .send(signBody(login.body.data.msspId, userCode, `EV-P-${Date.now()}`));
      const conflict = await request(t.http)
        .get(`/windranger/doc/ca/records/${pending.body.data.recordId}/evidence`)
        .set('authorization', bearer)
        .set('accept-language', 'en');
      expect(conflict.status).toBe(409);
      expect(conflict.body.error).toMatchObject({ type: 'CONFLICT' });
      expect(conflict.body.message).toContain('is PENDING_SCAN: only a SIGNED record has evidence');

      const anonymous = await request(t.http).get(`/windranger/doc/ca/records/${pending.body.data.recordId}/evidence`);
      expect(anonymous.status).toBe(401);
    });
  },
);
