import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TimestampClient } from '../timestamp';
import { tsaConfig } from '../timestamp/tsa.config';
import { timestampClientProvider, TSA_TRUST, tsaTrustProvider } from './tsa-endpoint';

/** The TSA: its client and the roots it must chain to (the embedded simulator's too, when it is wired from the top). */
@Module({
  imports: [ConfigModule.forFeature(tsaConfig)],
  providers: [tsaTrustProvider, timestampClientProvider],
  exports: [TimestampClient, TSA_TRUST],
})
export class TsaModule {}
