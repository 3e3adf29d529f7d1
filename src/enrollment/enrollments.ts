import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { caConfig } from '../config';
import type { EnrollmentActor } from './enrollment-entry';
import { EnrollmentStore } from './enrollment.store';

export type Admission = { admitted: true } | { admitted: false; enrolled: boolean };

/**
 * One person per UserCode: decides whether a verified identity may act as a UserCode. Under `first-use` the first
 * verified login of a UserCode with no enrollment enrolls it (the login is the audit entry's actor); under
 * `preenrolled` only what an administrator registered is admitted.
 */
@Injectable()
export class Enrollments {
  constructor(
    private readonly store: EnrollmentStore,
    @Inject(caConfig.KEY) private readonly config: ConfigType<typeof caConfig>,
  ) {}

  async admit(vendor: string, userCode: string, identity: string, login: EnrollmentActor): Promise<Admission> {
    let enrollment = await this.store.find(vendor, userCode);
    if (!enrollment && this.config.enrollment === 'first-use') {
      enrollment = await this.store.enrollFirstUse(vendor, userCode, identity, login);
    }
    if (!enrollment) return { admitted: false, enrolled: false };
    return enrollment.identity === identity ? { admitted: true } : { admitted: false, enrolled: true };
  }
}
