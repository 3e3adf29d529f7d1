import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { toPem } from '../../crypto/pem';
import { TestCertificateAuthority } from '../../crypto/test-ca';
import { CrlRefresher } from './crl-refresher';
import { CrlRegistry } from './crl-registry';

describe(CrlRefresher.name, () => {
  let fileCa: TestCertificateAuthority;
  let urlCa: TestCertificateAuthority;
  let dir: string;
  let server: Server;
  let url: string;
  let served: { status: number; body: Buffer };
  let hits = 0;

  beforeAll(async () => {
    fileCa = await TestCertificateAuthority.create({ commonName: 'File CA' });
    urlCa = await TestCertificateAuthority.create({ commonName: 'URL CA', keyAlgorithm: 'RSA' });
    dir = mkdtempSync(join(tmpdir(), 'crl-spec-'));
    server = createServer((request, response) => {
      if (request.url === '/hang') return; // never answers
      hits += 1;
      response.writeHead(served.status).end(served.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ca.crl`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const registry = () => new CrlRegistry({ trustedRoots: [fileCa.root.cert, urlCa.root.cert], stalePolicy: 'warn' });

  it('loads CRL_FILES (DER or PEM) and CRL_URLS, and keeps the last good CRL when a refresh fails', async () => {
    writeFileSync(join(dir, 'file.crl'), toPem(fileCa.issueCrl({ crlNumber: 1 }), 'X509 CRL'));
    served = { status: 200, body: urlCa.issueCrl({ crlNumber: 10 }) };
    const crls = registry();
    const refresher = new CrlRefresher(crls, { files: [join(dir, 'file.crl')], urls: [url], refreshMinutes: 60 });
    await refresher.start();
    expect(crls.loaded.map((c) => [c.issuer, c.number])).toEqual([
      ['CN=File CA', '1'],
      ['CN=URL CA', '10'],
    ]);

    served = { status: 503, body: Buffer.from('down') };
    expect(await refresher.refreshUrls()).toEqual([{ url, ok: false, reason: 'HTTP 503' }]);
    served = { status: 200, body: Buffer.from('garbage') };
    expect(await refresher.refreshUrls()).toEqual([{ url, ok: false, reason: 'CRL_MALFORMED' }]);
    expect(crls.loaded.map((c) => c.number)).toEqual(['1', '10']);

    served = { status: 200, body: urlCa.issueCrl({ crlNumber: 11 }) };
    expect(await refresher.refreshUrls()).toEqual([{ url, ok: true }]);
    expect(crls.loaded.map((c) => c.number)).toEqual(['1', '11']);
    refresher.stop();
  });

  it('bounds a fetch in time and in size', async () => {
    const crls = registry();
    const hang = url.replace('/ca.crl', '/hang');
    const slow = new CrlRefresher(crls, { files: [], urls: [hang], refreshMinutes: 60, fetchTimeoutMs: 200 });
    expect(await slow.refreshUrls()).toEqual([{ url: hang, ok: false, reason: 'TIMEOUT' }]);
    served = { status: 200, body: urlCa.issueCrl({ crlNumber: 30 }) };
    const small = new CrlRefresher(crls, { files: [], urls: [url], refreshMinutes: 60, maxBytes: 100 });
    expect(await small.refreshUrls()).toEqual([{ url, ok: false, reason: 'CRL too large' }]);
    expect(crls.loaded).toEqual([]);
  });

  it('logs and skips a CRL file that is unreadable or not signed by a trusted root, and loads the others', async () => {
    const stranger = await TestCertificateAuthority.create({ commonName: 'Stranger' });
    writeFileSync(join(dir, 'stranger.crl'), stranger.issueCrl());
    writeFileSync(join(dir, 'good.crl'), fileCa.issueCrl({ crlNumber: 2 }));
    const crls = registry();
    const files = ['stranger.crl', 'missing.crl', 'good.crl'].map((name) => join(dir, name));
    const refresher = new CrlRefresher(crls, { files, urls: [], refreshMinutes: 60 });
    await expect(refresher.start()).resolves.toBeUndefined();
    expect(refresher.loadFiles()).toEqual([
      { url: files[0], ok: false, reason: 'CRL_UNTRUSTED' },
      { url: files[1], ok: false, reason: 'CRL_FILE_UNREADABLE' },
      { url: files[2], ok: true },
    ]);
    expect(crls.loaded.map((c) => [c.issuer, c.number])).toEqual([['CN=File CA', '2']]);
  });

  it('refreshes CRL_URLS every CRL_REFRESH_MINUTES', async () => {
    served = { status: 200, body: urlCa.issueCrl({ crlNumber: 20 }) };
    const crls = registry();
    const refresher = new CrlRefresher(crls, { files: [], urls: [url], refreshMinutes: 5 });
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'performance'] });
    try {
      await refresher.start();
      const before = hits;
      served = { status: 200, body: urlCa.issueCrl({ crlNumber: 21 }) };
      jest.advanceTimersByTime(4 * 60_000);
      expect(hits).toBe(before);
      jest.advanceTimersByTime(60_000);
    } finally {
      jest.useRealTimers();
    }
    for (let i = 0; i < 100 && crls.loaded[0]?.number !== '21'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(crls.loaded.map((c) => c.number)).toEqual(['21']);
    refresher.stop();
  });
});
