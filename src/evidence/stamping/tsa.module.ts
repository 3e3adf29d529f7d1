import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { simulatorShutdown } from '../../ca/vendor-module';
import { TimestampClient } from '../timestamp';
import { tsaConfig } from '../timestamp/tsa.config';
import {
  timestampClientProvider,
  TSA_IN_PROCESS_SIMULATOR,
  TSA_TRUST,
  tsaSimulatorProvider,
  tsaTrustProvider,
} from './tsa-endpoint';

/** The TSA: its client, the roots it must chain to, and its simulator on embedded defaults (one per application). */
@Module({
  imports: [ConfigModule.forFeature(tsaConfig)],
  providers: [
    tsaSimulatorProvider,
    tsaTrustProvider,
    timestampClientProvider,
    simulatorShutdown(TSA_IN_PROCESS_SIMULATOR),
  ],
  exports: [TimestampClient, TSA_TRUST, TSA_IN_PROCESS_SIMULATOR],
})
export class TsaModule {}
