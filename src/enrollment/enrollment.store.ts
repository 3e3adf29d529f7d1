import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ConflictError } from '../common/errors';
import { EventBus } from '../events';
import { CaEnrollment, EnrollmentSource } from './schemas/ca-enrollment.schema';

export type Enrollment = Pick<CaEnrollment, 'vendor' | 'userCode' | 'identity' | 'source'> & {
  createdAt?: Date;
  updatedAt?: Date;
};

const FIELDS = { _id: 0, vendor: 1, userCode: 1, identity: 1, source: 1, createdAt: 1, updatedAt: 1 };

/**
 * caEnrollments: one identity per (vendor, UserCode) and one UserCode per (vendor, identity), both unique indexes.
 * Every write is one conditional update; the identity check before a write only gives a clear 409 (the unique index is
 * what holds under a race, on engines that enforce it).
 */
@Injectable()
export class EnrollmentStore {
  constructor(
    @InjectModel(CaEnrollment.name) private readonly enrollments: Model<CaEnrollment>,
    private readonly events: EventBus,
  ) {}

  find(vendor: string, userCode: string): Promise<Enrollment | null> {
    return this.enrollments.findOne({ vendor, userCode }, FIELDS).lean<Enrollment>().exec();
  }

  list(filter: { vendor?: string; userCode?: string }): Promise<Enrollment[]> {
    const query = {
      ...(filter.vendor && { vendor: filter.vendor }),
      ...(filter.userCode && { userCode: filter.userCode }),
    };
    return this.enrollments
      .find(query, FIELDS)
      .sort({ userCode: 1, vendor: 1 })
      .limit(10_000)
      .lean<Enrollment[]>()
      .exec();
  }

  /**
   * Enrolls the identity for a UserCode that has none yet (first use); answers the enrollment as it then stands, which
   * is another identity's when someone else enrolled first. Null when this identity is already enrolled elsewhere.
   */
  async enrollFirstUse(vendor: string, userCode: string, identity: string): Promise<Enrollment | null> {
    const elsewhere = await this.enrollments.exists({ vendor, identity, userCode: { $ne: userCode } });
    if (elsewhere) return null;
    try {
      const result = await this.enrollments.updateOne(
        { vendor, userCode },
        { $setOnInsert: { identity, source: 'first-use' } },
        { upsert: true },
      );
      const enrollment = await this.find(vendor, userCode);
      if (enrollment && result.upsertedCount > 0) this.created(enrollment);
      return enrollment;
    } catch (error) {
      if (!isDuplicate(error)) throw error;
      return this.find(vendor, userCode);
    }
  }

  /** Sets the identity of a UserCode (administrator); 409 when the identity belongs to another UserCode. */
  async put(vendor: string, userCode: string, identity: string, source: EnrollmentSource): Promise<Enrollment> {
    const owner = await this.enrollments.findOne({ vendor, identity }, FIELDS).lean<Enrollment>().exec();
    if (owner && owner.userCode !== userCode) throw identityTaken(vendor, owner.userCode);
    try {
      const result = await this.enrollments.updateOne(
        { vendor, userCode },
        { $set: { identity, source } },
        { upsert: true },
      );
      if (result.upsertedCount > 0) {
        this.events.emit({ type: 'EnrollmentCreated', at: new Date(), vendor, userCode, source });
      } else {
        this.events.emit({ type: 'EnrollmentChanged', at: new Date(), vendor, userCode, source });
      }
      return (await this.find(vendor, userCode))!;
    } catch (error) {
      if (isDuplicate(error)) throw identityTaken(vendor);
      throw error;
    }
  }

  /** Removes the enrollments of a UserCode (of one vendor, when named); answers how many. */
  async remove(userCode: string, vendor?: string): Promise<number> {
    let removed = 0;
    for (;;) {
      const gone = await this.enrollments
        .findOneAndDelete({ userCode, ...(vendor && { vendor }) }, { projection: FIELDS })
        .lean<Enrollment>()
        .exec();
      if (!gone) return removed;
      removed++;
      this.events.emit({ type: 'EnrollmentRemoved', at: new Date(), vendor: gone.vendor, userCode });
    }
  }

  private created(enrollment: Enrollment): void {
    const { vendor, userCode, source } = enrollment;
    this.events.emit({ type: 'EnrollmentCreated', at: new Date(), vendor, userCode, source });
  }
}

function isDuplicate(error: unknown): boolean {
  return (error as { code?: number }).code === 11000;
}

function identityTaken(vendor: string, userCode?: string): ConflictError {
  const owner = userCode ? ` (UserCode ${userCode})` : '';
  return new ConflictError(`This ${vendor} identity is already enrolled for another UserCode${owner}`, {
    field: 'identity',
  });
}
