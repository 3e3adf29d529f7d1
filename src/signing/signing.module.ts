import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CaModule } from '../ca/ca.module';
import { LoginModule } from '../login/login.module';
import { NursingRecords } from './nursing-records';
import { CaExtendedData, CaExtendedDataSchema } from './schemas/ca-extended-data.schema';
import { SignDocService } from './sign-doc.service';
import { SignJobRefresher } from './sign-job-refresher';
import { SignRecovery } from './sign-recovery';
import { SignatureRecords } from './signature-records.service';
import { SigningController } from './signing.controller';

@Module({
  imports: [
    CaModule,
    LoginModule,
    MongooseModule.forFeature([{ name: CaExtendedData.name, schema: CaExtendedDataSchema }]),
  ],
  controllers: [SigningController],
  providers: [NursingRecords, SignDocService, SignatureRecords, SignRecovery, SignJobRefresher],
  exports: [SignJobRefresher],
})
export class SigningModule {}
