import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CaModule } from '../ca/ca.module';
import { AuditModule } from '../evidence/audit/audit.module';
import { EventsModule } from '../events';
import { EnrollmentAudit } from './enrollment.audit';
import { EnrollmentStore } from './enrollment.store';
import { Enrollments } from './enrollments';
import { EnrollmentsAdmin } from './enrollments-admin';
import { EnrollmentsController } from './enrollments.controller';
import { CaEnrollment, CaEnrollmentSchema } from './schemas/ca-enrollment.schema';

@Module({
  imports: [
    CaModule,
    AuditModule,
    EventsModule,
    MongooseModule.forFeature([{ name: CaEnrollment.name, schema: CaEnrollmentSchema }]),
  ],
  controllers: [EnrollmentsController],
  providers: [EnrollmentStore, Enrollments, EnrollmentsAdmin, EnrollmentAudit],
  exports: [Enrollments],
})
export class EnrollmentModule {}
