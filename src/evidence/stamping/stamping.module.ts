import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { EventsModule } from '../../events';
import { SigningModule } from '../../signing/signing.module';
import { tsaConfig } from '../timestamp/tsa.config';
import { TimestampStamper } from './timestamp-stamper';
import { TsaModule } from './tsa.module';

/** Trusted timestamps for SIGNED records: the stamper, asking the TSA of TsaModule. */
@Module({
  imports: [ConfigModule.forFeature(tsaConfig), EventsModule, SigningModule, TsaModule],
  providers: [TimestampStamper],
  exports: [TimestampStamper],
})
export class StampingModule {}
