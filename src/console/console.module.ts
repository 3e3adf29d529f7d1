import fastifyStatic from '@fastify/static';
import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ConsoleRedirectController } from './console.controller';
import { CONSOLE_ROOT, consoleBuilt } from './console-files';
import { EmbeddedSimulatorsController } from './embedded-simulators.controller';

/** Serves the console page (Vite build in console/dist) at /console/, and `/` redirects to it. */
@Module({ controllers: [ConsoleRedirectController, EmbeddedSimulatorsController] })
export class ConsoleModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    if (!consoleBuilt()) {
      new Logger(ConsoleModule.name).warn(
        `console not built (${CONSOLE_ROOT}): npm run build:console; /console is 404`,
      );
      return;
    }
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // Not awaited: awaiting loads the plugin queue before Nest installs its error handler, so errors raised before
    // routing (413 bodies) would leave the envelope. Fastify loads it with the rest when the app becomes ready.
    void fastify.register(fastifyStatic, {
      root: CONSOLE_ROOT,
      prefix: '/console/',
      redirect: true,
      index: 'index.html',
      wildcard: true,
    });
  }
}
