import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { hasOpenssl, openssl, opensslStatus } from '../src/crypto/openssl-cli.testing';
import { toPem } from '../src/crypto/pem';
import { TsaHash } from '../src/evidence/timestamp/tsp.constants';
import { CossSimulator } from '../src/simulators/coss/coss-simulator';
import { loginWithCoss, signAsNurse } from './support/coss-login';
import { makeOpensslTsa, OpensslTsaServer, serveOpensslTsa } from './support/openssl-tsa';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

const opensslIt = (name: string, fn: () => Promise<void>, timeout?: number) =>
  hasOpenssl ? it(name, fn, timeout) : it.skip(`${name} [SKIPPED: no openssl CLI on PATH]`, fn, timeout);

/**
 * RFC 3161 interoperability through the whole gateway: OpenSSL's own TSA (`openssl ts -reply`, RSA key) is TSA_URL,
 * the stamper gets each new signature its token in the background, and `openssl ts -verify` checks the token the
 * gateway stored against the signature bytes of the record.
 */
describe.each(['sha256', 'sm3'] as TsaHash[])(
  'Timestamps from the OpenSSL TSA through the gateway (TSA_HASH=%s)',
  (hash) => {
    let dir: string;
    let tsa: OpensslTsaServer;
    let coss: CossSimulator;
    let t: TestApp;

    beforeAll(async () => {
      if (!hasOpenssl) return;
      dir = mkdtempSync(join(tmpdir(), `tsa-gw-${hash}-`));
      makeOpensslTsa(dir);
      [tsa, coss] = await Promise.all([serveOpensslTsa(dir), CossSimulator.start({ port: 0 })]);
      writeFileSync(join(dir, 'coss.pem'), toPem(coss.rootCertificateDer, 'CERTIFICATE'));
      t = await startTestApp({
        COSS_BASE_URL: coss.url,
        COSS_TRUSTED_ROOTS: join(dir, 'coss.pem'),
        CA_PROVIDERS: 'coss',
        TSA_URL: tsa.url,
        TSA_TRUSTED_ROOTS: join(dir, 'ca.pem'),
        TSA_HASH: hash,
        TSA_POLICY: '1.2.3.4.1',
        TSA_TIMEOUT_MS: '10000',
        TSA_SWEEP_INTERVAL_MS: '200',
      });
    }, 60_000);
    afterAll(async () => {
      if (!hasOpenssl) return;
      await t.close();
      await Promise.all([coss.stop(), tsa.close()]);
      rmSync(dir, { recursive: true, force: true });
    });

    const verify = (data: string[]) =>
      opensslStatus(['ts', '-verify', ...data, '-in', 'stored.tst', '-token_in', '-CAfile', 'ca.pem'], dir);

    opensslIt(
      'a signature made through the HTTP API is GRANTED, and `openssl ts -verify` accepts the stored token',
      async () => {
        const nurse = await loginWithCoss(t, coss, 'N311');
        const docId = `TS-OSSL-${hash}-${Date.now()}`;
        const repliesBefore = tsa.replies;
        const signed = await signAsNurse(t, nurse, { id: docId, temperature: 36.8 });
        expect(signed.status).toBe(200);
        expect(signed.body.data.status).toBe('SIGNED');

        const stamp = await waitFor(
          async () =>
            (await request(t.http).get('/windranger/doc/ca/records').query({ docId, type: 'document' })).body.data[0]
              .timestamp as { status: string; genTime: string } | null,
          (s) => s?.status === 'GRANTED',
          20_000,
        );
        if (!stamp) throw new Error('no timestamp block');
        expect(stamp).toMatchObject({ hashAlgorithm: hash, tsaSubject: 'CN=OpenSSL TSA, O=OpenSSL Interop' });
        expect(tsa.replies - repliesBefore).toBe(1);

        const record = await t.connection.collection('caExtendedData').findOne({ docId });
        const signature = Buffer.from(record!.signResult as string, 'base64');
        writeFileSync(join(dir, 'stored.tst'), Buffer.from(record!.timestamp.token as string, 'base64'));
        writeFileSync(join(dir, 'signature.bin'), signature);

        // OpenSSL reads the token on its own: the imprint algorithm the gateway asked for, and genTime as stored.
        const text = openssl(['ts', '-reply', '-in', 'stored.tst', '-token_in', '-text'], dir).toString();
        expect(text).toContain(`Hash Algorithm: ${hash}`);
        expect(text).toMatch(/Nonce: 0x[0-9A-F]+/);
        expect(new Date(/Time stamp: (.+)/.exec(text)![1]).getTime()).toBe(new Date(stamp.genTime).getTime());

        const accepted = verify(['-data', 'signature.bin']);
        expect(accepted.output).toContain('Verification: OK');
        expect(accepted.ok).toBe(true);
        // The imprint is OpenSSL's own digest of the signature bytes (`openssl dgst`), not only the project's.
        const digest = openssl(['dgst', `-${hash}`, '-r', 'signature.bin'], dir)
          .toString()
          .split(' ')[0];
        expect(verify(['-digest', digest]).ok).toBe(true);

        const flipped = Buffer.from(signature);
        flipped[flipped.length >> 1] ^= 0x01;
        writeFileSync(join(dir, 'flipped.bin'), flipped);
        const refused = verify(['-data', 'flipped.bin']);
        expect(refused.ok).toBe(false);
        expect(refused.output).toContain('message imprint mismatch');

        const read = await request(t.http).post(`/windranger/doc/ca/records/${String(record!._id)}/verify`);
        expect(read.body.data).toMatchObject({ valid: true, assurance: 'TIMESTAMPED', validAt: stamp.genTime });
      },
      60_000,
    );
  },
);
