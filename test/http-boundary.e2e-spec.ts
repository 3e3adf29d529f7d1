import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';

const READ_SECRET = 'read-secret-0123456789';
const ADMIN_SECRET = 'admin-secret-0123456789';
const NO_SCOPE_SECRET = 'no-scope-secret-0123456789';
const API_KEYS = JSON.stringify([
  { id: 'mnis-docs', key: READ_SECRET, scopes: ['read'] },
  { id: 'ops', sha256: createHash('sha256').update(ADMIN_SECRET).digest('hex'), scopes: ['admin'] },
  { id: 'retired', key: NO_SCOPE_SECRET, scopes: [] },
]);
const RECORDS = '/windranger/doc/ca/records?docId=DOC-1&type=document';
const bearer = (secret: string) => `Bearer ${secret}`;

describe('API keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ API_KEYS });
  });
  afterAll(() => t.close());

  const readRoutes = () => [
    request(t.http).get('/windranger/doc/document/DOC-1'),
    request(t.http).get(RECORDS),
    request(t.http).post('/windranger/doc/ca/records/0123456789abcdef01234567/verify'),
    request(t.http).post('/ca/operations/seal-data').send({ caSerialId: 'S1' }),
  ];

  it('answers every read route without a key, or with an unknown one, 401 API_KEY_REQUIRED in the envelope', async () => {
    for (const [header, label] of [
      [undefined, 'none'],
      [bearer('not-a-key-0123456789'), 'unknown'],
      [`Basic ${Buffer.from(`x:${READ_SECRET}`).toString('base64')}`, 'not bearer'],
      [bearer(READ_SECRET.slice(0, -1)), 'almost'],
    ]) {
      for (const route of readRoutes()) {
        const res = await (header ? route.set('authorization', header) : route).set('accept-language', 'en');
        expect({ label, status: res.status }).toEqual({ label, status: 401 });
        expect(res.body).toMatchObject({ code: 401, data: null, error: { type: 'API_KEY_REQUIRED' } });
        expect(res.headers['www-authenticate']).toBe('Bearer');
        expect(res.body.requestId).toBe(res.headers['x-request-id']);
      }
    }
  });

  it('lets a read key and an admin key (given as its SHA-256) through to the route', async () => {
    for (const secret of [READ_SECRET, ADMIN_SECRET]) {
      const records = await request(t.http).get(RECORDS).set('authorization', bearer(secret));
      expect(records.status).toBe(200);
      expect(records.body).toMatchObject({ code: 200, data: [] });
      const doc = await request(t.http).get('/windranger/doc/document/nope').set('authorization', bearer(secret));
      expect(doc.status).toBe(404);
      const verify = await request(t.http)
        .post('/windranger/doc/ca/records/0123456789abcdef01234567/verify')
        .set('authorization', `bearer   ${secret}`);
      expect(verify.status).toBe(404);
      const sealData = await request(t.http)
        .post('/ca/operations/seal-data')
        .set('authorization', bearer(secret))
        .send({});
      expect(sealData.status).toBe(400);
      expect(sealData.body.error.type).toBe('VALIDATION_FAILED');
    }
  });

  it('answers a known key without the scope 403 SCOPE_REQUIRED', async () => {
    for (const route of readRoutes()) {
      const res = await route.set('authorization', bearer(NO_SCOPE_SECRET));
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 403, data: null, error: { type: 'SCOPE_REQUIRED', scope: 'read' } });
    }
  });

  it('asks no key on the PC-facing routes', async () => {
    const started = await request(t.http).post('/coss/service/v1/startAutoSign').send({ timeRegion: 5 });
    expect(started.status).toBe(200);
    const { signDataId } = started.body.data;
    const answers = [
      await request(t.http).post('/coss/service/v1/getSignResult').send({ signDataId }),
      await request(t.http)
        .post('/coss/service/v1/queryImage')
        .send({ userId: 'f'.repeat(64) }),
      await request(t.http)
        .post('/coss/service/v1/endAutoSign')
        .send({ userId: 'f'.repeat(64) }),
      await request(t.http).post('/WRMSMnis/doc/ca/isSameCaUser/N001').send({ accessToken: 'x', signDataId }),
      await request(t.http).post('/windranger/doc/ca/signDocWithCa').send({}),
      await request(t.http).post('/ca/operations/encrypt').send({}),
      await request(t.http).get('/ca/operations/no-such-operation'),
    ];
    for (const res of answers) expect([401, 403]).not.toContain(res.status);
    expect(answers[0].status).toBe(200);
  });

  it('declares the API-key scheme in the OpenAPI document on the keyed routes only', async () => {
    const doc = (await request(t.http).get('/docs-json')).body;
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, method] of [
      ['/windranger/doc/ca/records', 'get'],
      ['/windranger/doc/{type}/{id}', 'get'],
      ['/windranger/doc/ca/records/{recordId}/verify', 'post'],
      ['/ca/operations/seal-data', 'post'],
    ]) {
      expect(doc.paths[path][method].security).toEqual([{ apiKey: [] }]);
      expect(Object.keys(doc.paths[path][method].responses)).toEqual(expect.arrayContaining(['401', '403']));
    }
    expect(doc.paths['/coss/service/v1/startAutoSign'].post.security).toBeUndefined();
    expect(doc.paths['/windranger/doc/ca/signDocWithCa'].post.security).toBeUndefined();
  });
});

describe('Without API_KEYS (embedded defaults, never production)', () => {
  it('leaves the read routes open', async () => {
    const t = await startTestApp({ API_KEYS: undefined, API_KEYS_FILE: undefined });
    try {
      expect((await request(t.http).get(RECORDS)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: 'https://nurse-pc.example, http://127.0.0.1:5173' });
  });
  afterAll(() => t.close());

  it('answers a preflight from a listed origin with the methods and headers the routes need', async () => {
    const res = await request(t.http)
      .options('/windranger/doc/ca/signDocWithCa')
      .set('origin', 'https://nurse-pc.example')
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'content-type, authorization, x-request-id');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://nurse-pc.example');
    expect(res.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(res.headers['access-control-allow-methods']).toMatch(/GET/);
    const allowed = res.headers['access-control-allow-headers'].split(',').map((h: string) => h.trim());
    expect(allowed).toEqual(expect.arrayContaining(['content-type', 'authorization', 'x-request-id']));
    expect(res.headers.vary).toMatch(/Origin/i);
  });

  it('marks a listed origin on ordinary answers and exposes the request id', async () => {
    const res = await request(t.http).get('/health').set('origin', 'http://127.0.0.1:5173');
    expect(res.headers['access-control-allow-origin']).toBe('http://127.0.0.1:5173');
    expect(res.headers['access-control-expose-headers']).toMatch(/x-request-id/);
  });

  it('gives an unlisted origin no CORS headers at all', async () => {
    const preflight = await request(t.http)
      .options('/windranger/doc/ca/signDocWithCa')
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'POST');
    const simple = await request(t.http).get('/health').set('origin', 'https://nurse-pc.example.evil');
    for (const res of [preflight, simple]) {
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('still answers an unknown path 404 (the preflight catch-all makes no path known)', async () => {
    expect((await request(t.http).get('/no/such/path')).status).toBe(404);
  });
});

describe('TRUST_PROXY', () => {
  const clientAddressSeen = async (env: Record<string, string | undefined>) => {
    const seen: string[] = [];
    const t = await startTestApp(env, {}, (app) =>
      app
        .getHttpAdapter()
        .getInstance()
        .addHook('onRequest', async (req) => void seen.push(req.ip)),
    );
    try {
      await request(t.http).get('/health').set('x-forwarded-for', '203.0.113.7');
      return seen[0];
    } finally {
      await t.close();
    }
  };

  it('uses the socket address when the peer is not a listed proxy, whatever X-Forwarded-For says', async () => {
    expect(await clientAddressSeen({ TRUST_PROXY: undefined })).toBe('127.0.0.1');
    expect(await clientAddressSeen({ TRUST_PROXY: '10.0.0.0/8' })).toBe('127.0.0.1');
  });

  it('honours X-Forwarded-For only from a listed proxy (address or CIDR)', async () => {
    expect(await clientAddressSeen({ TRUST_PROXY: '127.0.0.1' })).toBe('203.0.113.7');
    expect(await clientAddressSeen({ TRUST_PROXY: '10.1.2.3, 127.0.0.0/8' })).toBe('203.0.113.7');
  });
});

describe('Hostile and malformed requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

  it('answers JSON nested past JSON_MAX_DEPTH (64) with 400 JSON_TOO_DEEP, and 64 levels pass the parser', async () => {
    const deep = await request(t.http)
      .post('/windranger/doc/ca/signDocWithCa')
      .set('content-type', 'application/json')
      .send(`{"type":"document","docData":${nested(5000)}}`);
    expect(deep.status).toBe(400);
    expect(deep.body).toMatchObject({ code: 400, data: null, error: { type: 'JSON_TOO_DEEP', maxDepth: 64 } });
    const edge = await request(t.http)
      .post('/coss/service/v1/getSignResult')
      .set('content-type', 'application/json')
      .send(`{"signDataId":${nested(63)}}`);
    expect(edge.body.error.type).toBe('VALIDATION_FAILED');
  });

  it('answers a docData sent as a JSON string nested 5000 levels 400 JSON_TOO_DEEP, not a stack overflow', async () => {
    const res = await request(t.http)
      .post('/windranger/doc/ca/signDocWithCa')
      .send({
        caIdentityParamsMap: { accessToken: 'f'.repeat(64) },
        type: 'document',
        docData: `{"id":"D-1","a":${nested(5000)}}`,
      });
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe('JSON_TOO_DEEP');
  });

  it('applies the same limit to form bodies', async () => {
    const form = `docData${'[a]'.repeat(100)}=1&type=document`;
    const res = await request(t.http)
      .post('/windranger/doc/ca/signDocWithCa')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send(form);
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe('JSON_TOO_DEEP');
  });

  it('refuses a form field without a name, as it refuses any field the route does not know', async () => {
    const res = await request(t.http)
      .post('/ca/operations/encrypt')
      .set('content-type', 'application/x-www-form-urlencoded')
      .set('accept-language', 'en')
      .send('plaintext=0&=null');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, error: { type: 'VALIDATION_FAILED', fields: [{ field: 'body' }] } });
  });

  it('refuses null for a field that may be left out (null is a value, not an absence)', async () => {
    const res = await request(t.http).post('/coss/service/v1/startAutoSign').send({ userCode: null, provider: null });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['provider', 'userCode']);
  });

  it('answers startAutoSign with no body 400 naming the body', async () => {
    const res = await request(t.http).post('/coss/service/v1/startAutoSign').set('accept-language', 'en');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, error: { type: 'VALIDATION_FAILED', fields: [{ field: 'body' }] } });
    expect(res.body.message).toContain('body');
  });

  it('answers a method a known path does not serve with 405 and Allow, in the envelope', async () => {
    for (const [method, path, allow] of [
      ['TRACE', '/health', 'GET, HEAD'],
      ['QUERY', '/coss/service/v1/startAutoSign', 'POST'],
      ['DELETE', '/windranger/doc/ca/records', 'GET, HEAD'],
      ['PUT', '/coss/service/v1/signResult/SD_1/events', 'GET, HEAD'],
      // The path names its most specific route: "seal" is the POST-only route, not an operation id.
      ['GET', '/ca/operations/seal', 'POST'],
      ['OPTIONS', '/ca/operations/decrypt', 'POST'],
      ['GET', '/windranger/doc/ca/signDocWithCa', 'POST'],
    ]) {
      const res = await request(t.http)[method.toLowerCase() as 'get'](path).set('accept-language', 'en');
      expect({ method, status: res.status, allow: res.headers.allow }).toEqual({ method, status: 405, allow });
      expect(res.body).toMatchObject({ data: null, error: { type: 'METHOD_NOT_ALLOWED' } });
    }
    const coss = await request(t.http).get('/coss/service/v1/startAutoSign');
    expect(coss.body).toMatchObject({ status: 405 });
    expect((await request(t.http).trace('/no/such/path')).status).toBe(404);
    expect((await request(t.http).get('/ca/operations/no-such-operation')).status).toBe(404);
  });

  it('answers an over-long path parameter 414 and bad percent-encoding 400 in the envelope, without echoing the path', async () => {
    const long = await request(t.http).get(`/ca/operations/${'x'.repeat(300)}`);
    expect(long.status).toBe(414);
    expect(long.body).toMatchObject({ code: 414, data: null, error: { type: 'URI_TOO_LONG' } });
    expect(long.body.requestId).toBe(long.headers['x-request-id']);
    const bad = await request(t.http).get('/ca/operations/%E0%A4%zz-secret-id').set('accept-language', 'en');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 400, data: null, error: { type: 'BAD_REQUEST', code: 'FST_ERR_BAD_URL' } });
    expect(JSON.stringify(bad.body)).not.toContain('secret-id');
    const huge = await request(t.http).get(`/windranger/doc/ca/records?docId=${'x'.repeat(20_000)}&type=document`);
    expect(huge.status).toBe(431);
    expect(huge.body).toMatchObject({ code: 431, data: null, error: { type: 'HEADERS_TOO_LARGE' } });
    const badCoss = await request(t.http).post('/coss/service/v1/signResult/%zz/events');
    expect(badCoss.body).toMatchObject({ status: 400, error: { type: 'BAD_REQUEST' } });
  });
});

describe('Error messages in Chinese and English', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DEFAULT_LOCALE: undefined });
  });
  afterAll(() => t.close());

  const badStart = () => request(t.http).post('/coss/service/v1/startAutoSign').send({ timeRegion: 'forever' });
  const unknownRecord = () => request(t.http).post('/windranger/doc/ca/records/0123456789abcdef01234567/verify');

  it('answers in Chinese by default, naming the field, in both envelopes; types and field names stay', async () => {
    const coss = await badStart();
    expect(coss.body).toMatchObject({ status: 400, error: { type: 'VALIDATION_FAILED' } });
    expect(coss.body.message).toMatch(/^请求参数无效：timeRegion（.*必须是整数.*）$/);
    expect(coss.body.error.fields[0].field).toBe('timeRegion');
    const mnis = await unknownRecord();
    expect(mnis.body).toMatchObject({ code: 404, message: '未找到请求的资源', error: { type: 'NOT_FOUND' } });
  });

  it('follows Accept-Language: en (quality values count), and zh-CN', async () => {
    const en = await badStart().set('accept-language', 'fr;q=1, en-US;q=0.8, zh-CN;q=0.5');
    expect(en.body.message).toContain('timeRegion must be an integer number');
    expect((await unknownRecord().set('accept-language', 'en')).body.message).toMatch(/record/i);
    expect((await unknownRecord().set('accept-language', 'zh-CN,zh;q=0.9')).body.message).toBe('未找到请求的资源');
  });

  it('keeps success envelopes as they are', async () => {
    const started = await request(t.http)
      .post('/coss/service/v1/startAutoSign')
      .set('accept-language', 'zh-CN')
      .send({ timeRegion: 5 });
    expect(started.body).toMatchObject({ status: 200, message: 'SUCCESS' });
    const health = await request(t.http).get('/windranger/doc/document/none').set('accept-language', 'en');
    expect(health.body.message).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('uses DEFAULT_LOCALE when the caller names no language it knows', async () => {
    const english = await startTestApp({ DEFAULT_LOCALE: 'en' });
    try {
      const res = await request(english.http).post('/coss/service/v1/startAutoSign').set('accept-language', 'fr');
      expect(res.body.message).toMatch(/body/);
      expect(res.body.message).not.toMatch(/[\u4e00-\u9fff]/);
      const zh = await request(english.http).post('/coss/service/v1/startAutoSign').set('accept-language', 'zh');
      expect(zh.body.message).toBe('请求参数无效：body（必填）');
    } finally {
      await english.close();
    }
  });
});

describe('/docs switch', () => {
  it('serves no OpenAPI document or UI with DOCS_ENABLED=false', async () => {
    const t = await startTestApp({ DOCS_ENABLED: 'false' });
    try {
      expect((await request(t.http).get('/docs-json')).status).toBe(404);
      expect((await request(t.http).get('/docs')).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe('HTTPS with TLS_CERT_FILE and TLS_KEY_FILE', () => {
  let dir: string;
  let t: TestApp;
  let cert: Buffer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mnis-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' }); // prettier-ignore
    cert = readFileSync(join(dir, 'cert.pem'));
    t = await startTestApp({ TLS_CERT_FILE: join(dir, 'cert.pem'), TLS_KEY_FILE: join(dir, 'key.pem') });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with the configured certificate, and no plain HTTP', async () => {
    const port = (t.http.address() as AddressInfo).port;
    const answer = await new Promise<{ status?: number; body: string; subject: string }>((resolve, reject) => {
      httpsGet({ host: '127.0.0.1', port, path: '/health', ca: cert }, (res) => {
        const peer = (res.socket as TLSSocket).getPeerCertificate();
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode, body, subject: String(peer.subject.CN) }));
      }).on('error', reject);
    });
    expect(answer).toEqual({ status: 200, body: '{"status":"ok"}', subject: 'localhost' });
    const plain = await new Promise<string>((resolve) => {
      httpGet({ host: '127.0.0.1', port, path: '/health' }, (res) => resolve(`status ${res.statusCode}`)).on(
        'error',
        (error) => resolve(`error ${error.message}`),
      );
    });
    expect(plain).not.toBe('status 200');
  });
});
