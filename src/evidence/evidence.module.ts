import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { crlConfig } from './crl/crl.config';
import { EvidenceStartupNotice } from './evidence-startup.notice';
import { StampingModule } from './stamping/stamping.module';
import { tsaConfig } from './timestamp/tsa.config';

/** Trusted timestamps (the stamper) and the CRL configuration; revocation checks join it when wired. */
@Module({
  imports: [ConfigModule.forFeature(tsaConfig), ConfigModule.forFeature(crlConfig), StampingModule],
  providers: [EvidenceStartupNotice],
})
export class EvidenceModule {}
