import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import { AppModule } from '../src/app.module';
import { createApp } from '../src/common/http/create-app';
import { startCongoProcess } from './support/congodb-process';
import { testEngine } from './support/engine';
import { startTestApp, TestApp } from './support/test-app';

describe('Service foundation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers liveness and echoes a request id', async () => {
    const res = await request(t.http).get('/health').set('x-request-id', 'pc-42');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['x-request-id']).toBe('pc-42');
    const generated = await request(t.http).get('/health');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is ready when the database answers', async () => {
    const res = await request(t.http).get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body.info.mongodb.status).toBe('up');
  });

  it('answers malformed JSON with a 400 envelope, not a 500', async () => {
    const res = await request(t.http)
      .post('/coss/service/v1/getSignResult')
      .set('content-type', 'application/json')
      .send('{"userId":');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, data: null, error: { type: 'BAD_REQUEST' } });
    expect(res.body.message).toMatch(/JSON/);
    expect(res.body.requestId).toEqual(res.headers['x-request-id']);
  });

  it('answers an unknown route with a 404 JSON envelope', async () => {
    const res = await request(t.http).get('/no/such/route');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 404, error: { type: 'NOT_FOUND' } });
  });

  it('answers an oversized body with 413', async () => {
    const res = await request(t.http)
      .post('/windranger/doc/ca/signDocWithCa')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ docData: 'x'.repeat(3 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 413, error: { type: 'PAYLOAD_TOO_LARGE' } });
  });

  it('serves a valid OpenAPI 3 document at /docs-json and the UI at /docs', async () => {
    const res = await request(t.http).get('/docs-json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(res.body))).resolves.toBeDefined();
    expect((await request(t.http).get('/docs')).status).toBe(200);
  });

  describe('the OpenAPI document as a contract', () => {
    type Schema = { $ref?: string; allOf?: Schema[]; properties?: Record<string, Schema>; enum?: unknown[] };
    type Operation = {
      parameters?: { in: string; name: string; required?: boolean }[];
      requestBody?: { content: Record<string, { schema: Schema; examples?: object }> };
      responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
    };
    let operations: { path: string; method: string; op: Operation }[];
    let schemas: Record<string, Schema>;
    beforeAll(async () => {
      const doc = (await request(t.http).get('/docs-json')).body;
      schemas = doc.components.schemas;
      operations = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
        Object.entries(item).map(([method, op]) => ({ path, method, op })),
      );
    });
    const label = ({ method, path }: { method: string; path: string }) => `${method.toUpperCase()} ${path}`;

    it('documents a schema for a 2xx answer of every operation', () => {
      expect(operations.length).toBeGreaterThanOrEqual(20);
      const without = operations.filter(({ op }) =>
        Object.entries(op.responses).every(
          ([status, r]) => !/^2/.test(status) || !Object.values(r.content ?? {})[0]?.schema,
        ),
      );
      expect(without.map(label)).toEqual([]);
    });

    it('answers every error status with the envelope of the path dialect and an enum of error types', () => {
      const problems: string[] = [];
      for (const entry of operations) {
        const envelope = entry.path.startsWith('/coss/') ? 'CossErrorEnvelope' : 'MnisErrorEnvelope';
        for (const [status, response] of Object.entries(entry.op.responses)) {
          if (Number(status) < 400) continue;
          const content = response.content ?? {};
          const schema = content['application/json']?.schema;
          const refs = schema?.allOf?.map((part) => part.$ref) ?? [];
          const types = schema?.allOf?.[1]?.properties?.error?.properties?.type?.enum ?? [];
          if (Object.keys(content).join() !== 'application/json' || !refs.includes(`#/components/schemas/${envelope}`))
            problems.push(`${label(entry)} ${status}: not the ${envelope}`);
          if (types.length === 0) problems.push(`${label(entry)} ${status}: no error.type enum`);
        }
      }
      expect(problems).toEqual([]);
      expect(schemas.CossErrorEnvelope).toMatchObject({ required: ['status', 'message', 'data', 'error'] });
      expect(schemas.MnisErrorEnvelope).toMatchObject({ required: ['code', 'message', 'data', 'error'] });
    });

    it('declares every path parameter of every path template', () => {
      const missing = operations.flatMap((entry) =>
        [...entry.path.matchAll(/\{(\w+)\}/g)]
          .map((m) => m[1])
          .filter((name) => !entry.op.parameters?.some((p) => p.in === 'path' && p.name === name && p.required))
          .map((name) => `${label(entry)}: ${name}`),
      );
      expect(missing).toEqual([]);
    });

    it('takes every body as JSON or as a form, with a whole-body example, refusing unknown fields', () => {
      const problems = operations
        .filter(({ op }) => op.requestBody)
        .flatMap((entry) => {
          const content = entry.op.requestBody!.content;
          const json = content['application/json'];
          const name = json?.schema.$ref?.split('/').pop() ?? '';
          // An array body (a staff list) has no form spelling: JSON only; its items are checked by the route.
          const list = (json?.schema as { type?: string } | undefined)?.type === 'array';
          const types = list ? 'application/json' : 'application/json,application/x-www-form-urlencoded';
          return [
            Object.keys(content).sort().join() !== types && 'content types',
            !json?.examples && 'example',
            !list &&
              (schemas[name] as { additionalProperties?: unknown })?.additionalProperties !== false &&
              'extra fields',
          ]
            .filter(Boolean)
            .map((problem) => `${label(entry)}: ${problem}`);
        });
      expect(problems).toEqual([]);
    });

    it('describes the event streams as text/event-stream with their events, and the keyed routes with the bearer scheme', () => {
      const streams = operations.filter(({ path }) => path.endsWith('/events'));
      expect(streams.map(label)).toEqual([
        'GET /coss/service/v1/signResult/{signDataId}/events',
        'GET /ca/operations/{operationId}/events',
      ]);
      for (const { op } of streams) {
        const schema = op.responses['200'].content!['text/event-stream'].schema as { items: { oneOf: Schema[] } };
        expect(schema.items.oneOf.map((event) => event.properties!.event.enum![0])).toEqual(['status', 'error', 'end']);
      }
      const records = operations.find(({ path }) => path === '/windranger/doc/ca/records')!.op as Operation & {
        security?: unknown;
      };
      expect(records.security).toEqual([{ apiKey: [] }]);
    });
  });

  it('round-trips a document through mongoose on the chosen engine', async () => {
    const Model = t.connection.model(
      'RoundTrip',
      new (require('mongoose').Schema)({ name: String, at: Date, n: Number }),
    );
    const at = new Date('2026-01-02T03:04:05.678Z');
    const created = await Model.create({ name: '护理记录', at, n: 1 });
    await Model.updateOne({ _id: created._id }, { $inc: { n: 2 } });
    const found = await Model.findById(created._id).lean<{ name: string; at: Date; n: number }>();
    expect(found).toMatchObject({ name: '护理记录', n: 3 });
    expect(found!.at.toISOString()).toBe(at.toISOString());
    process.stderr.write(`[e2e] round trip on ${testEngine().description}\n`);
  });
});

describe('Start-up validation', () => {
  it('refuses a bad PORT, naming it', async () => {
    const saved = { ...process.env };
    process.env.PORT = 'not-a-port';
    await expect(createApp(() => AppModule.register())).rejects.toThrow(/PORT="not-a-port"/);
    process.env = saved;
  });

  it('refuses production without MONGODB_URI', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { NODE_ENV: 'production', COSS_BASE_URL: 'http://127.0.0.1:1', CA_PROVIDERS: 'coss' });
    delete process.env.MONGODB_URI;
    await expect(createApp(() => AppModule.register())).rejects.toThrow(/MONGODB_URI is required in production/);
    process.env = saved;
  });
});

describe('Readiness with the database down', () => {
  it('answers 503 DATABASE_UNAVAILABLE, quickly, once the database process is gone, while liveness still answers', async () => {
    const db = await startCongoProcess();
    const t = await startTestApp({ MONGODB_URI: db.uri, MONGODB_TIMEOUT_MS: '1000' });
    try {
      expect((await request(t.http).get('/health/ready')).status).toBe(200);
      expect((await request(t.http).get('/windranger/doc/document/D-1')).status).toBe(404);
      await db.kill();
      const res = await request(t.http).get('/health/ready');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 503, error: { type: 'DATABASE_UNAVAILABLE' } });
      const started = Date.now();
      const route = await request(t.http).get('/windranger/doc/document/D-1');
      expect(route.status).toBe(503);
      expect(route.body).toMatchObject({ code: 503, data: null, error: { type: 'DATABASE_UNAVAILABLE' } });
      expect(Date.now() - started).toBeLessThan(3000);
      expect((await request(t.http).get('/health')).status).toBe(200);
    } finally {
      await db.kill();
      await t.app.close();
    }
  });
});
