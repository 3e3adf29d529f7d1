import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ConflictError } from '../common/errors';
import type { AuditOutboxSource } from '../evidence/audit/audit-outbox.drain';
import {
  auditItem,
  collectionOutbox,
  NO_PENDING_AUDIT,
  pushAuditItem,
} from '../evidence/audit/collection-outbox.store';
import { EventBus } from '../events';
import { EnrollmentActor, enrollmentEntry } from './enrollment-entry';
import { CaEnrollment, EnrollmentSource } from './schemas/ca-enrollment.schema';

export type Enrollment = Pick<CaEnrollment, 'vendor' | 'userCode' | 'identity' | 'source'> & {
  createdAt?: Date;
  updatedAt?: Date;
};

const FIELDS = { _id: 0, vendor: 1, userCode: 1, identity: 1, source: 1, createdAt: 1, updatedAt: 1 };
const LIVE = { vendor: { $exists: true } };

/**
 * caEnrollments: one identity per (vendor, UserCode) and one UserCode per (vendor, identity), both unique indexes.
 * Every change is one update that also pushes its audit item (ENROLLMENT_CREATED, _CHANGED, _REMOVED), so no change
 * can reach the database without reaching the audit chain; a removal leaves a tombstone that carries its item. The
 * identity check before a write only gives a clear 409: the unique index is what holds under a race, on engines that
 * enforce it.
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
      ...LIVE,
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
  async enrollFirstUse(
    vendor: string,
    userCode: string,
    identity: string,
    actor: EnrollmentActor,
  ): Promise<Enrollment | null> {
    const elsewhere = await this.enrollments.exists({ vendor, identity, userCode: { $ne: userCode } });
    if (elsewhere) return null;
    const created = auditItem(
      enrollmentEntry('ENROLLMENT_CREATED', 'first-use', { vendor, userCode, identity }, actor),
    );
    try {
      const result = await this.enrollments.updateOne(
        { vendor, userCode },
        { $setOnInsert: { identity, source: 'first-use', auditOutbox: [created] } },
        { upsert: true },
      );
      if (result.upsertedCount > 0) {
        this.events.emit({ type: 'EnrollmentCreated', at: new Date(), vendor, userCode, source: 'first-use' });
      }
    } catch (error) {
      if (!isDuplicate(error)) throw error;
    }
    return this.find(vendor, userCode);
  }

  /** Sets the identity of a UserCode (administrator or import); 409 when the identity belongs to another UserCode. */
  async put(
    vendor: string,
    userCode: string,
    identity: string,
    source: EnrollmentSource,
    actor: EnrollmentActor,
  ): Promise<Enrollment> {
    const owner = await this.enrollments.findOne({ vendor, identity }, FIELDS).lean<Enrollment>().exec();
    if (owner && owner.userCode !== userCode) throw identityTaken(vendor, owner.userCode);
    const enrollment = { vendor, userCode, identity };
    try {
      if (!(await this.change(enrollment, source, actor))) {
        const entry = enrollmentEntry('ENROLLMENT_CREATED', source, enrollment, actor);
        await this.enrollments.create({ ...enrollment, source, auditOutbox: [auditItem(entry)] });
        this.events.emit({ type: 'EnrollmentCreated', at: new Date(), vendor, userCode, source });
      }
    } catch (error) {
      if (!isDuplicate(error)) throw error;
      // Another writer created this UserCode's enrollment meanwhile (change it), or took the identity (409).
      if (!(await this.change(enrollment, source, actor).catch(rethrowUnlessDuplicate))) throw identityTaken(vendor);
    }
    return (await this.find(vendor, userCode))!;
  }

  /** Removes the enrollments of a UserCode (of one vendor, when named); answers how many. */
  async remove(userCode: string, actor: EnrollmentActor, vendor?: string): Promise<number> {
    const current = await this.enrollments
      .find({ ...LIVE, userCode, ...(vendor && { vendor }) }, FIELDS)
      .lean<Enrollment[]>()
      .exec();
    let removed = 0;
    for (const enrollment of current) {
      const at = new Date();
      const entry = enrollmentEntry('ENROLLMENT_REMOVED', 'REMOVED', enrollment, actor);
      const { matchedCount } = await this.enrollments.updateOne(
        { vendor: enrollment.vendor, userCode, identity: enrollment.identity },
        {
          $unset: { vendor: 1, userCode: 1, identity: 1 },
          $set: { removed: { vendor: enrollment.vendor, userCode, at } },
          ...pushAuditItem(entry),
        },
      );
      if (matchedCount === 0) continue;
      removed++;
      this.events.emit({ type: 'EnrollmentRemoved', at, vendor: enrollment.vendor, userCode });
    }
    return removed;
  }

  /** The audit drain's view of caEnrollments; a tombstone is deleted once its removal is in the chain. */
  auditOutbox(): AuditOutboxSource {
    const source = collectionOutbox('caEnrollments', this.enrollments.collection);
    return {
      ...source,
      markAppended: async (item) => {
        await source.markAppended(item);
        const subject = item.entry.subject;
        if (item.entry.type !== 'ENROLLMENT_REMOVED' || !subject?.userCode) return;
        await this.enrollments.deleteMany({
          'removed.userCode': subject.userCode,
          'removed.vendor': subject.vendor,
          ...NO_PENDING_AUDIT,
        });
      },
    };
  }

  /** Changes an existing enrollment; false when the UserCode has none at this vendor. */
  private async change(
    enrollment: { vendor: string; userCode: string; identity: string },
    source: EnrollmentSource,
    actor: EnrollmentActor,
  ): Promise<boolean> {
    const { vendor, userCode, identity } = enrollment;
    const { matchedCount } = await this.enrollments.updateOne(
      { vendor, userCode },
      {
        $set: { identity, source },
        ...pushAuditItem(enrollmentEntry('ENROLLMENT_CHANGED', source, enrollment, actor)),
      },
    );
    if (matchedCount === 0) return false;
    this.events.emit({ type: 'EnrollmentChanged', at: new Date(), vendor, userCode, source });
    return true;
  }
}

function isDuplicate(error: unknown): boolean {
  return (error as { code?: number }).code === 11000;
}

function rethrowUnlessDuplicate(error: unknown): false {
  if (isDuplicate(error)) return false;
  throw error;
}

function identityTaken(vendor: string, userCode?: string): ConflictError {
  const owner = userCode ? ` (UserCode ${userCode})` : '';
  return new ConflictError(`This ${vendor} identity is already enrolled for another UserCode${owner}`, {
    field: 'identity',
  });
}
