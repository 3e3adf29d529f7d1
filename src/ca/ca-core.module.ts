import { Module } from '@nestjs/common';
import { SignatureVerifier } from './signature-verifier';

/** What every vendor module and the signing records share. */
@Module({
  providers: [SignatureVerifier],
  exports: [SignatureVerifier],
})
export class CaCoreModule {}
