import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CaModule } from '../ca/ca.module';
import { CrlModule } from '../evidence/crl/crl.module';
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
    MongooseModule.forFeature([{ name: CaOperation.name, schema: CaOperationSchema }]),
  ],
  controllers: [OperationsController],
  providers: [
    OperationStore,
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
