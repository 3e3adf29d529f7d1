import { Logger as NestLogger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { parse as parseQueryString } from 'qs';
import { API_KEY_SECURITY_SCHEME, ApiKeyGuard, ApiKeyring } from '../../auth';
import { appConfig } from '../../config/app.config';
import { CaProviders } from '../../ca/ca-providers';
import type { Capability } from '../../ca/ca.types';
import { ErrorEnvelopeFilter } from '../errors/error-envelope.filter';
import { JsonTooDeepError, RequestValidationError } from '../errors/gateway.errors';
import { createValidationPipe } from '../errors/validation';
import { registerAccessLog } from '../logging/access-log';
import { REQUEST_ID_HEADER } from '../logging/logger.options';
import { finishContract } from '../openapi/finish-contract';
import { jsonDeeperThan } from './json-depth';
import { answerMethodNotAllowed } from './method-not-allowed';
import { registerEventStreams } from './sse';

type AppConfig = ConfigType<typeof appConfig>;

/** Everything main.ts and the end-to-end specs share, so that tests run the app exactly as it is deployed. */
function registerBodyParsers(app: NestFastifyApplication, maxDepth: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const json = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', {}, (request, body, done) => {
    const text = body.toString('utf8');
    if (jsonDeeperThan(text, maxDepth)) return done(new JsonTooDeepError(maxDepth), undefined);
    json(request as never, text, done);
  });
  // Vendor specs post forms; qs lets a form carry nested fields such as caIdentityParamsMap[accessToken]. The body
  // object is one level, so qs's depth (bracket segments) is one less than the JSON limit; past it qs throws.
  app.useBodyParser('application/x-www-form-urlencoded', {}, (_request, body, done) => {
    const text = body.toString('utf8');
    // qs drops a field without a name (`=x`) silently; every other unknown field is refused, so this one is too.
    if (text.split('&').some((pair) => pair.startsWith('='))) return done(unnamedFormField(), undefined);
    try {
      done(null, parseQueryString(text, { depth: maxDepth - 1, strictDepth: true, parameterLimit: 200 }));
    } catch (error) {
      done(error instanceof RangeError ? new JsonTooDeepError(maxDepth) : (error as Error), undefined);
    }
  });
}

function unnamedFormField(): RequestValidationError {
  return new RequestValidationError([
    { field: 'body', problems: ['body: a form field has no name'], constraints: ['whitelistValidation'] },
  ]);
}

/** Exact origins only: an unlisted origin gets no CORS headers at all. */
function enableCors(app: NestFastifyApplication, origins: string[]): void {
  if (origins.length === 0) return;
  const any = origins.includes('*');
  app.enableCors({
    origin: any ? '*' : (origin, callback) => callback(null, origin !== undefined && origins.includes(origin)),
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['content-type', 'authorization', REQUEST_ID_HEADER, 'accept-language'],
    exposedHeaders: [REQUEST_ID_HEADER, 'retry-after'],
    maxAge: 600,
  });
}

function registerDocs(app: NestFastifyApplication): void {
  const providers = app.get(CaProviders, { strict: false });
  const document = finishContract(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('mnis-ca-gateway')
        .setDescription('CA e-signature gateway for mobile nursing: QR login, document signing, signature records')
        .setVersion(process.env.npm_package_version ?? '0.1.0')
        .addBearerAuth(
          { type: 'http', scheme: 'bearer', description: 'An API key from API_KEYS (scopes read, admin)' },
          API_KEY_SECURITY_SCHEME,
        )
        .build(),
    ),
    { vendors: (capability) => (capability ? providers.namesThatCan(capability as Capability) : providers.names()) },
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

export async function configureApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  const config = app.get<AppConfig>(appConfig.KEY);
  const fastify = app.getHttpAdapter().getInstance();
  app.useLogger(app.get(Logger));
  registerAccessLog(fastify);
  answerMethodNotAllowed(fastify, config.defaultLocale);
  const streams = registerEventStreams(fastify);
  fastify.addHook('preClose', async () => void streams.endAll('SHUTDOWN'));
  registerBodyParsers(app, config.jsonMaxDepth);
  enableCors(app, config.corsOrigins);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorEnvelopeFilter(config.defaultLocale));
  const keyring = new ApiKeyring(config.apiKeys);
  app.useGlobalGuards(new ApiKeyGuard(app.get(Reflector), keyring));
  const bootLog = new NestLogger('Bootstrap');
  if (keyring.open) {
    bootLog.warn('API_KEYS is not set: the records and admin routes are open (refused with NODE_ENV=production)');
  } else {
    bootLog.log(`API keys: ${keyring.ids.join(', ')}`);
  }
  if (config.docsEnabled) registerDocs(app);
  return app;
}
