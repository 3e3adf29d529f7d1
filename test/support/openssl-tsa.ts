import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openssl, opensslStatus } from '../../src/crypto/openssl-cli.testing';
import { HeadTimestamp, HeadTimestamper } from '../../src/evidence/audit/head-timestamper';

/**
 * OpenSSL's own RFC 3161 TSA (`openssl ts -reply`, RSA) as the chain's timestamper, and `openssl ts -verify` as the
 * check of stored tokens: an implementation nobody here wrote, with a signing key only this object holds.
 */
export class OpensslHeadTimestamper extends HeadTimestamper {
  private readonly dir = mkdtempSync(join(tmpdir(), 'audit-tsa-'));
  private counter = 0;

  constructor() {
    super();
    const ca = ['-subj', '/CN=Audit Test Root', '-days', '2', '-nodes'];
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-keyout', 'root.key', '-out', 'root.pem', ...ca], this.dir);
    openssl(
      [
        'req',
        '-new',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'tsa.key',
        '-subj',
        '/CN=Audit Test TSA',
        '-out',
        'tsa.csr',
      ],
      this.dir,
    );
    writeFileSync(
      join(this.dir, 'tsa.ext'),
      'extendedKeyUsage=critical,timeStamping\nkeyUsage=critical,digitalSignature\n',
    );
    openssl(
      [
        'x509',
        '-req',
        '-in',
        'tsa.csr',
        '-CA',
        'root.pem',
        '-CAkey',
        'root.key',
        '-CAcreateserial',
        '-days',
        '2',
        '-extfile',
        'tsa.ext',
        '-out',
        'tsa.pem',
      ],
      this.dir,
    );
    writeFileSync(join(this.dir, 'tsaserial'), '01\n');
    writeFileSync(
      join(this.dir, 'tsa.cnf'),
      [
        '[ tsa ]',
        'default_tsa = audit_tsa',
        '[ audit_tsa ]',
        `serial = ${join(this.dir, 'tsaserial')}`,
        'crypto_device = builtin',
        `signer_cert = ${join(this.dir, 'tsa.pem')}`,
        `signer_key = ${join(this.dir, 'tsa.key')}`,
        'signer_digest = sha256',
        'default_policy = 1.2.3.4.1',
        'digests = sha256',
        'accuracy = secs:1',
        'ess_cert_id_alg = sha256',
        '',
      ].join('\n'),
    );
  }

  async stampHead(headHash: string): Promise<HeadTimestamp> {
    const n = ++this.counter;
    writeFileSync(join(this.dir, `head${n}`), headHash, 'utf8');
    openssl(['ts', '-query', '-data', `head${n}`, '-sha256', '-cert', '-out', `q${n}.tsq`], this.dir);
    openssl(
      ['ts', '-reply', '-config', 'tsa.cnf', '-queryfile', `q${n}.tsq`, '-token_out', '-out', `t${n}.tst`],
      this.dir,
    );
    const text = openssl(['ts', '-reply', '-in', `t${n}.tst`, '-token_in', '-text'], this.dir).toString();
    const time = /Time stamp: (.+)/.exec(text)?.[1];
    if (!time) throw new Error('openssl ts printed no time stamp');
    return { token: readFileSync(join(this.dir, `t${n}.tst`)), genTime: new Date(time), hashAlgorithm: 'sha256' };
  }

  async verifyHead(token: Buffer, headHash: string): Promise<{ valid: boolean; reason?: string }> {
    const n = ++this.counter;
    writeFileSync(join(this.dir, `head${n}`), headHash, 'utf8');
    writeFileSync(join(this.dir, `v${n}.tst`), token);
    const result = opensslStatus(
      ['ts', '-verify', '-data', `head${n}`, '-in', `v${n}.tst`, '-token_in', '-CAfile', 'root.pem'],
      this.dir,
    );
    return result.ok ? { valid: true } : { valid: false, reason: result.output.trim().split('\n').pop() };
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
