import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadCertificatesFromFiles } from '../../crypto/certificate';
import { hasOpenssl, openssl, opensslStatus } from '../../crypto/openssl-cli.testing';
import { toPem } from '../../crypto/pem';
import { sm3 } from '../../crypto/sm3';
import { TsaSimulator } from '../../simulators/tsa';
import { TimestampClient } from './timestamp.client';
import { verifyStoredTimestamp } from './timestamp.verifier';
import { makeOpensslTsa, OpensslTsaServer, serveOpensslTsa } from '../../../test/support/openssl-tsa';
import { TsaHash } from './tsp.constants';

interface Asn1Line {
  offset: number;
  depth: number;
  headerLength: number;
  length: number;
  type: string;
}

function asn1Lines(dir: string, file: string): Asn1Line[] {
  return openssl(['asn1parse', '-inform', 'DER', '-in', file], dir)
    .toString()
    .split('\n')
    .flatMap((line) => {
      const m = /^\s*(\d+):d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+)\s+(?:cons|prim):\s+(.+?)\s*(?::|$)/.exec(line);
      return m ? [{ offset: +m[1], depth: +m[2], headerLength: +m[3], length: +m[4], type: m[5].trim() }] : [];
    });
}

(hasOpenssl ? describe : describe.skip)('RFC 3161 interoperability with the OpenSSL CLI', () => {
  let dir: string;
  let tsa: OpensslTsaServer;
  const signature = Buffer.from(
    '3045022100e2f1c0d1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d02200102',
    'hex',
  );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsa-interop-'));
    makeOpensslTsa(dir);
    tsa = await serveOpensslTsa(dir);
  });
  afterAll(async () => {
    await tsa.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['sha256', 'sm3'] as TsaHash[])(
    'accepts tokens from `openssl ts -reply` with a %s imprint, and `openssl ts -verify` accepts what it stored',
    async (hash) => {
      const trustedRoots = loadCertificatesFromFiles([join(dir, 'ca.pem')]);
      const client = new TimestampClient({ url: tsa.url, hash, timeoutMs: 10_000, maxSkewSeconds: 60, trustedRoots });
      const result = await client.timestamp(signature);
      if (!result.ok) throw new Error(`${result.failure.reason}: ${result.failure.message}`);
      expect(result.token).toMatchObject({
        hashAlgorithm: hash,
        policy: '1.2.3.4.1',
        tsaSubject: 'CN=OpenSSL TSA, O=OpenSSL Interop',
      });

      writeFileSync(join(dir, `stored-${hash}.tst`), result.token.tokenDer);
      writeFileSync(join(dir, 'signature.bin'), signature);
      const verify = (data: string) =>
        opensslStatus(
          ['ts', '-verify', '-data', data, '-in', `stored-${hash}.tst`, '-token_in', '-CAfile', 'ca.pem'],
          dir,
        );
      const accepted = verify('signature.bin');
      expect(accepted.output).toContain('Verification: OK');
      expect(accepted.ok).toBe(true);

      const flipped = Buffer.from(signature);
      flipped[0] ^= 1;
      writeFileSync(join(dir, 'flipped.bin'), flipped);
      expect(verify('flipped.bin').ok).toBe(false);
      expect(
        (
          await verifyStoredTimestamp(result.token.tokenDer, {
            data: flipped,
            trustedRoots: trustedRoots,
          })
        ).ok,
      ).toBe(false);
    },
  );

  describe('the simulator', () => {
    let sim: TsaSimulator;
    beforeAll(async () => {
      sim = await TsaSimulator.start();
    });
    afterAll(() => sim.stop());

    const simulatorToken = async (algorithm: 'SM2' | 'RSA', hash: TsaHash): Promise<Buffer> => {
      const client = sim.client(algorithm, { hash });
      const result = await client.timestamp(signature);
      if (!result.ok) throw new Error(result.failure.message);
      return result.token.tokenDer;
    };

    it('makes RSA tokens that `openssl ts -verify` accepts', async () => {
      writeFileSync(join(dir, 'sim-rsa.tst'), await simulatorToken('RSA', 'sha256'));
      writeFileSync(join(dir, 'sim-rsa-root.pem'), toPem(sim.authority.roots.RSA.der, 'CERTIFICATE'));
      writeFileSync(join(dir, 'signature.bin'), signature);
      const verified = opensslStatus(
        ['ts', '-verify', '-data', 'signature.bin', '-in', 'sim-rsa.tst', '-token_in', '-CAfile', 'sim-rsa-root.pem'],
        dir,
      );
      expect(verified.output).toContain('Verification: OK');
    });

    it('makes SM2 tokens whose signed attributes `openssl dgst -sm3 -sigopt distid:…` verifies', async () => {
      const token = await simulatorToken('SM2', 'sm3');
      writeFileSync(join(dir, 'sim-sm2.tst'), token);
      writeFileSync(join(dir, 'sim-sm2-tsa.pem'), toPem(sim.authority.tsas.SM2.cert.der, 'CERTIFICATE'));
      openssl(['x509', '-in', 'sim-sm2-tsa.pem', '-pubkey', '-noout', '-out', 'sim-sm2-pub.pem'], dir);

      // SignedData's SignerInfo fields sit at depth 5: the signed attributes are its [0], the signature its last OCTET STRING.
      const lines = asn1Lines(dir, 'sim-sm2.tst').filter((l) => l.depth === 5);
      const attrs = lines.find((l) => l.type === 'cont [ 0 ]');
      const octets = lines.filter((l) => l.type.startsWith('OCTET STRING'));
      const [tstInfo, sig] = [octets[0], octets[octets.length - 1]];
      if (!attrs || !tstInfo || !sig) throw new Error('token layout not found by asn1parse');
      const signedAttributes = Buffer.from(
        token.subarray(attrs.offset, attrs.offset + attrs.headerLength + attrs.length),
      );
      signedAttributes[0] = 0x31;
      writeFileSync(join(dir, 'sim-sm2-attrs.der'), signedAttributes);
      const strparse = (offset: number, out: string) =>
        openssl(
          ['asn1parse', '-inform', 'DER', '-in', 'sim-sm2.tst', '-strparse', `${offset}`, '-noout', '-out', out],
          dir,
        );
      strparse(sig.offset, 'sim-sm2-sig.der');
      strparse(tstInfo.offset, 'sim-sm2-tstinfo.der');

      const dgst = (file: string) =>
        opensslStatus(
          [
            'dgst',
            '-sm3',
            '-verify',
            'sim-sm2-pub.pem',
            '-sigopt',
            'distid:1234567812345678',
            '-signature',
            'sim-sm2-sig.der',
            file,
          ],
          dir,
        );
      expect(dgst('sim-sm2-attrs.der').output).toContain('Verified OK');
      // The messageDigest attribute is SM3 of the TSTInfo, and the TSTInfo's imprint is SM3 of the signature value.
      const tstInfoDer = readFileSync(join(dir, 'sim-sm2-tstinfo.der'));
      expect(signedAttributes.includes(sm3(tstInfoDer))).toBe(true);
      expect(tstInfoDer.includes(sm3(signature))).toBe(true);

      signedAttributes[signedAttributes.length - 1] ^= 1;
      writeFileSync(join(dir, 'sim-sm2-attrs-flipped.der'), signedAttributes);
      expect(dgst('sim-sm2-attrs-flipped.der').ok).toBe(false);
    });
  });
});
