import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CaModule } from '../ca/ca.module';
import { CrlModule } from '../evidence/crl/crl.module';
import { EnrollmentModule } from '../enrollment/enrollment.module';
import { AuditModule } from '../evidence/audit/audit.module';
import { auditOutboxOf } from '../evidence/audit/outbox-registration';
import { EventsModule } from '../events';
import { AuthorizationStore } from './authorization.store';
import { Authorizations } from './authorizations';
import { LateLoginWatcher } from './late-login-watcher';
import { LoginController } from './login.controller';
import { LoginRefresher } from './login-refresher';
import { LoginService } from './login.service';
import { CaAuthorization, CaAuthorizationSchema } from './schemas/ca-authorization.schema';
import { CaLoginCounter, CaLoginCounterSchema } from './schemas/ca-login-counter.schema';
import { CaSealImage, CaSealImageSchema } from './schemas/ca-seal-image.schema';
import { LoginCounterStore } from './login-counter.store';
import { LoginLimits } from './login-limits';
import { LoginSweeper } from './login-sweeper';
import { SealImageStore } from './seal-image.store';
import { SealImages } from './seal-images.service';

@Module({
  imports: [
    CaModule,
    CrlModule,
    EnrollmentModule,
    EventsModule,
    AuditModule,
    MongooseModule.forFeature([
      { name: CaAuthorization.name, schema: CaAuthorizationSchema },
      { name: CaSealImage.name, schema: CaSealImageSchema },
      { name: CaLoginCounter.name, schema: CaLoginCounterSchema },
    ]),
  ],
  controllers: [LoginController],
  providers: [
    AuthorizationStore,
    auditOutboxOf(AuthorizationStore, (store) => [store.auditOutbox()]),
    SealImageStore,
    LoginCounterStore,
    LoginService,
    LoginRefresher,
    LateLoginWatcher,
    LoginLimits,
    LoginSweeper,
    SealImages,
    Authorizations,
  ],
  exports: [LoginService, LoginRefresher, Authorizations, AuthorizationStore],
})
export class LoginModule {}
