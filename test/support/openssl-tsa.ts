import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openssl, opensslStatus } from '../../src/crypto/openssl-cli.testing';
import { HeadTimestamp, HeadTimestamper } from '../../src/evidence/audit/head-timestamper';

const TSA_CONFIG = `[ tsa ]
default_tsa = interop
[ interop ]
serial = ./tsaserial
crypto_device = builtin
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sm3
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_alg = sha256
`;

const TSA_EXTENSIONS = `basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation
extendedKeyUsage=critical,timeStamping
`;

/** A root and a TSA certificate with the timeStamping EKU, made by OpenSSL alone. */
export function makeOpensslTsa(dir: string): void {
  writeFileSync(join(dir, 'tsa.cnf'), TSA_CONFIG);
  writeFileSync(join(dir, 'tsa-ext.cnf'), TSA_EXTENSIONS);
  const subj = (cn: string) => ['-subj', `/O=OpenSSL Interop/CN=${cn}`];
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2']
      .concat(subj('Interop Root'))
      .concat(['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']),
    dir,
  );
  openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.csr', ...subj('OpenSSL TSA')],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'tsa.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'tsa.pem',
    ].concat(['-days', '2', '-extfile', 'tsa-ext.cnf']),
    dir,
  );
}

const run = promisify(execFile);

export interface OpensslTsaServer {
  server: Server;
  url: string;
  /** Replies `openssl ts -reply` produced (a query it refused counts too: it answers with a rejection). */
  readonly replies: number;
  close(): Promise<void>;
}

/**
 * A few lines of HTTP around `openssl ts -reply -config tsa.cnf` in `dir` (made by makeOpensslTsa): OpenSSL's own TSA
 * answers every request on loopback.
 */
export async function serveOpensslTsa(dir: string): Promise<OpensslTsaServer> {
  let count = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const n = ++count;
      writeFileSync(join(dir, `q${n}.tsq`), Buffer.concat(chunks));
      run('openssl', ['ts', '-reply', '-config', 'tsa.cnf', '-queryfile', `q${n}.tsq`, '-out', `r${n}.tsr`], {
        cwd: dir,
      }).then(
        () =>
          response
            .writeHead(200, { 'content-type': 'application/timestamp-reply' })
            .end(readFileSync(join(dir, `r${n}.tsr`))),
        () => response.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    get replies() {
      return count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * OpenSSL's own RFC 3161 TSA (`openssl ts -reply`, RSA) as the chain's timestamper, and `openssl ts -verify` as the
 * check of stored tokens: an implementation nobody here wrote, with a signing key only this object holds.
 */
export class OpensslHeadTimestamper extends HeadTimestamper {
  private readonly dir = mkdtempSync(join(tmpdir(), 'audit-tsa-'));
  private counter = 0;

  constructor() {
    super();
    makeOpensslTsa(this.dir);
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
      ['ts', '-verify', '-data', `head${n}`, '-in', `v${n}.tst`, '-token_in', '-CAfile', 'ca.pem'],
      this.dir,
    );
    return result.ok ? { valid: true } : { valid: false, reason: result.output.trim().split('\n').pop() };
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
