import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { parse as parseQueryString } from 'qs';
import { ErrorEnvelopeFilter } from '../errors/error-envelope.filter';
import { createValidationPipe } from '../errors/validation';

/** Everything main.ts and the end-to-end specs share, so that tests run the app exactly as it is deployed. */
function registerBodyParsers(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const json = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', {}, (request, body, done) =>
    json(request as never, body.toString('utf8'), done),
  );
  // Vendor specs post forms; qs lets a form carry nested fields such as caIdentityParamsMap[accessToken].
  app.useBodyParser('application/x-www-form-urlencoded', {}, (_request, body, done) => {
    done(null, parseQueryString(body.toString('utf8'), { depth: 3, parameterLimit: 200 }));
  });
}

export async function configureApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  app.useLogger(app.get(Logger));
  registerBodyParsers(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorEnvelopeFilter());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('mnis-ca-gateway')
      .setDescription('CA e-signature gateway for mobile nursing: QR login, document signing, signature records')
      .setVersion(process.env.npm_package_version ?? '0.1.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
