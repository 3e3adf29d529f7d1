import { Module } from '@nestjs/common';
import { LoginModule } from '../login/login.module';
import { SigningModule } from '../signing/signing.module';
import { SignResultController } from './sign-result.controller';
import { SignResults } from './sign-results';

@Module({
  imports: [LoginModule, SigningModule],
  controllers: [SignResultController],
  providers: [SignResults],
})
export class SignResultModule {}
