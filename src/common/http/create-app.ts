import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { validateEnvironment } from '../../config';
import { validateEvidenceEnvironment } from '../../evidence/evidence.config';
import { loadAuditConfig } from '../../evidence/audit/audit.config';
import { REQUEST_ID_HEADER } from '../logging/logger.options';
import { configureApp } from './configure-app';
import { serverOptions } from './server-options';

type RootModule = Type | DynamicModule;

/**
 * The HTTP application around the root module `root` builds (main.ts and the end-to-end specs pass the one they
 * need); it is built here so that a configuration error rejects like any other start-up failure.
 */
export async function createApp(root: () => RootModule | Promise<RootModule>): Promise<NestFastifyApplication> {
  const env = validateEnvironment(process.env);
  validateEvidenceEnvironment(process.env);
  loadAuditConfig(process.env);
  const adapter = new FastifyAdapter(serverOptions(env));
  adapter.getInstance().addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  // A start-up failure (a vendor's variable, an unreachable database) rejects here instead of exiting the process.
  const app = await NestFactory.create<NestFastifyApplication>(await root(), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  return configureApp(app);
}
