import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { EventsModule } from '../events';
import { LoginModule } from '../login/login.module';
import { OperationsModule } from '../operations/operations.module';
import { SigningModule } from '../signing/signing.module';
import { HttpMetricsHook } from './http-metrics.hook';
import { LoopbackMetricsServer } from './loopback-metrics.server';
import { metricsConfig } from './metrics.config';
import { MetricsController } from './metrics.controller';
import { MetricsListener } from './metrics.listener';
import { MetricsRegistry } from './metrics.registry';
import { ScrapeTimeGauges } from './scrape-time.gauges';

/** Prometheus metrics: /metrics (admin key) on the API port, and keyless on 127.0.0.1:METRICS_PORT when set. */
@Module({
  imports: [ConfigModule.forFeature(metricsConfig), EventsModule, LoginModule, SigningModule, OperationsModule],
  controllers: [MetricsController],
  providers: [MetricsRegistry, MetricsListener, ScrapeTimeGauges, HttpMetricsHook, LoopbackMetricsServer],
  exports: [MetricsRegistry],
})
export class MetricsModule {}
