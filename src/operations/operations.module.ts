import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CaModule } from '../ca/ca.module';
import { CrlModule } from '../evidence/crl/crl.module';
import { AuditModule } from '../evidence/audit/audit.module';
import { auditOutboxOf } from '../evidence/audit/outbox-registration';
import { EventsModule } from '../events';
import { CryptSteps } from './crypt.steps';
import { OperationRefresher } from './operation-refresher';
import { SealSteps } from './seal.steps';
import { OperationStore } from './operation.store';
import { OperationSweeper } from './operation-sweeper';
import { OperationViews } from './operation-views';
import { OperationsController } from './operations.controller';
import { OperationsService } from './operations.service';
import { CaOperation, CaOperationSchema } from './schemas/ca-operation.schema';

@Module({
  imports: [
    CaModule,
    CrlModule,
    EventsModule,
    AuditModule,
    MongooseModule.forFeature([{ name: CaOperation.name, schema: CaOperationSchema }]),
  ],
  controllers: [OperationsController],
  providers: [
    OperationStore,
    auditOutboxOf(OperationStore, (store) => [store.auditOutbox()]),
    OperationsService,
    OperationRefresher,
    CryptSteps,
    SealSteps,
    OperationViews,
    OperationSweeper,
  ],
  exports: [OperationStore],
})
export class OperationsModule {}
