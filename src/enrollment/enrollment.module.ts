import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CaModule } from '../ca/ca.module';
import { EventsModule } from '../events';
import { EnrollmentStore } from './enrollment.store';
import { Enrollments } from './enrollments';
import { EnrollmentsAdmin } from './enrollments-admin';
import { EnrollmentsController } from './enrollments.controller';
import { CaEnrollment, CaEnrollmentSchema } from './schemas/ca-enrollment.schema';

@Module({
  imports: [
    CaModule,
    EventsModule,
    MongooseModule.forFeature([{ name: CaEnrollment.name, schema: CaEnrollmentSchema }]),
  ],
  controllers: [EnrollmentsController],
  providers: [EnrollmentStore, Enrollments, EnrollmentsAdmin],
  exports: [Enrollments],
})
export class EnrollmentModule {}
