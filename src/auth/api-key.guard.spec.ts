import { Controller, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ErrorEnvelopeFilter } from '../common/errors/error-envelope.filter';
import { ApiKeyGuard } from './api-key.guard';
import { parseApiKeys } from './api-keys.config';
import { ApiKeyring } from './api-keyring';
import { RequireScope } from './require-scope.decorator';

const READ = 'read-secret-00000000001';
const ADMIN = 'admin-secret-0000000001';

@Controller()
class ProbeController {
  @Get('admin/probe')
  @RequireScope('admin')
  admin() {
    return { ok: 'admin' };
  }

  @Get('records')
  @RequireScope('read')
  read() {
    return { ok: 'read' };
  }

  @Get('open')
  open() {
    return { ok: 'open' };
  }
}

describe(ApiKeyGuard.name, () => {
  let app: NestFastifyApplication;

  async function start(keyring: ApiKeyring): Promise<NestFastifyApplication> {
    const module = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    const created = module.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    created.useGlobalFilters(new ErrorEnvelopeFilter('en'));
    created.useGlobalGuards(new ApiKeyGuard(created.get(Reflector), keyring));
    await created.init();
    await created.getHttpAdapter().getInstance().ready();
    return created;
  }

  beforeAll(async () => {
    app = await start(
      new ApiKeyring(
        parseApiKeys(
          JSON.stringify([
            { id: 'docs', key: READ, scopes: ['read'] },
            { id: 'ops', key: ADMIN, scopes: ['admin'] },
          ]),
          'API_KEYS',
        ),
      ),
    );
  });
  afterAll(() => app.close());

  const get = (path: string, secret?: string) => {
    const req = request(app.getHttpServer()).get(path);
    return secret ? req.set('authorization', `Bearer ${secret}`) : req;
  };

  it('lets an admin route declared with @RequireScope("admin") refuse a read key and take an admin key', async () => {
    const read = await get('/admin/probe', READ);
    expect(read.status).toBe(403);
    expect(read.body.error).toEqual({ type: 'SCOPE_REQUIRED', scope: 'admin' });
    expect((await get('/admin/probe', ADMIN)).body).toEqual({ ok: 'admin' });
    expect((await get('/admin/probe')).body.error.type).toBe('API_KEY_REQUIRED');
  });

  it('treats admin as holding read, and leaves undeclared routes open', async () => {
    expect((await get('/records', ADMIN)).body).toEqual({ ok: 'read' });
    expect((await get('/records', READ)).body).toEqual({ ok: 'read' });
    expect((await get('/open')).body).toEqual({ ok: 'open' });
  });

  it('opens every route when no keys are configured (refused in production by the configuration)', async () => {
    const open = await start(new ApiKeyring(undefined));
    try {
      expect((await request(open.getHttpServer()).get('/admin/probe')).body).toEqual({ ok: 'admin' });
    } finally {
      await open.close();
    }
  });
});
