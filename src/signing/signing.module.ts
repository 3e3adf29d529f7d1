import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TsaModule } from '../evidence/stamping/tsa.module';
import { tsaConfig } from '../evidence/timestamp/tsa.config';
import { MongooseModule } from '@nestjs/mongoose';
import { CaModule } from '../ca/ca.module';
import { LoginModule } from '../login/login.module';
import { AuditModule } from '../evidence/audit/audit.module';
import { CrlModule } from '../evidence/crl/crl.module';
import { auditOutboxOf } from '../evidence/audit/outbox-registration';
import { EventsModule } from '../events';
import { NursingDocumentStore } from './nursing-document.store';
import { CaExtendedData, CaExtendedDataSchema } from './schemas/ca-extended-data.schema';
import { SignDocService } from './sign-doc.service';
import { SignJobRefresher } from './sign-job-refresher';
import { SignRecovery } from './sign-recovery';
import { SignatureRecordStore } from './signature-record.store';
import { SignatureRecords } from './signature-records.service';
import { SigningController } from './signing.controller';

@Module({
  imports: [
    CaModule,
    LoginModule,
    EventsModule,
    AuditModule,
    CrlModule,
    ConfigModule.forFeature(tsaConfig),
    TsaModule,
    MongooseModule.forFeature([{ name: CaExtendedData.name, schema: CaExtendedDataSchema }]),
  ],
  controllers: [SigningController],
  providers: [
    SignatureRecordStore,
    auditOutboxOf(SignatureRecordStore, (records) => [records.auditOutbox()]),
    NursingDocumentStore,
    auditOutboxOf(NursingDocumentStore, (documents) => documents.auditOutboxes()),
    SignDocService,
    SignatureRecords,
    SignRecovery,
    SignJobRefresher,
  ],
  exports: [SignJobRefresher, SignatureRecordStore],
})
export class SigningModule {}
