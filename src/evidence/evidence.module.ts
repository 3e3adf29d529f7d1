import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CrlModule } from './crl/crl.module';
import { EvidenceStartupNotice } from './evidence-startup.notice';
import { StampingModule } from './stamping/stamping.module';
import { tsaConfig } from './timestamp/tsa.config';

/** Trusted timestamps (the stamper) and the CRLs (loaded at start, refreshed; login and signing check them). */
@Module({
  imports: [ConfigModule.forFeature(tsaConfig), CrlModule, StampingModule],
  providers: [EvidenceStartupNotice],
})
export class EvidenceModule {}
