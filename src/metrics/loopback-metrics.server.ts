import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { metricsConfig } from './metrics.config';
import { MetricsRegistry } from './metrics.registry';

/** Never 0.0.0.0: this listener has no key, so only an agent on the same host may reach it. */
export const METRICS_HOST = '127.0.0.1';

/** The keyless /metrics listener for a local Prometheus agent, started only when METRICS_PORT is set. */
@Injectable()
export class LoopbackMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LoopbackMetricsServer.name);
  private server?: Server;

  constructor(
    private readonly metrics: MetricsRegistry,
    @Inject(metricsConfig.KEY) private readonly config: ConfigType<typeof metricsConfig>,
  ) {}

  /** The bound address, once listening (METRICS_PORT=0 picks a free port). */
  get address(): AddressInfo | undefined {
    return (this.server?.address() as AddressInfo | null) ?? undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.port === undefined) return;
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Only GET /metrics here\n');
        return;
      }
      this.metrics.metrics().then(
        (text) => response.writeHead(200, { 'content-type': this.metrics.contentType }).end(text),
        () => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Metrics failed\n'),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.port, METRICS_HOST, () => resolve());
    });
    this.server = server;
    this.logger.log(`Metrics without a key on http://${METRICS_HOST}:${this.address?.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
