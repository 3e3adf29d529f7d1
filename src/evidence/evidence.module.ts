import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { crlConfig } from './crl/crl.config';
import { EvidenceStartupNotice } from './evidence-startup.notice';
import { tsaConfig } from './timestamp/tsa.config';

/** Configuration of trusted timestamps and CRLs; the timestamp job and revocation checks join it when wired. */
@Module({
  imports: [ConfigModule.forFeature(tsaConfig), ConfigModule.forFeature(crlConfig)],
  providers: [EvidenceStartupNotice],
})
export class EvidenceModule {}
