import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../../app.module';
import { validateEnvironment } from '../../config';
import { REQUEST_ID_HEADER, requestIdFor } from '../logging/logger.options';
import { configureApp } from './configure-app';

export async function createApp(): Promise<NestFastifyApplication> {
  const env = validateEnvironment(process.env);
  const adapter = new FastifyAdapter({
    bodyLimit: env.BODY_LIMIT_BYTES ?? 2 * 1024 * 1024,
    trustProxy: true,
    logger: false,
    genReqId: requestIdFor,
  });
  adapter.getInstance().addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, { bufferLogs: true });
  return configureApp(app);
}
