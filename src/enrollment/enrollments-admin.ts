import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CaProviders } from '../ca/ca-providers';
import { ConflictError, NotFoundError, RequestValidationError } from '../common/errors';
import { flattenValidationErrors } from '../common/errors/validation';
import { EnrollmentView, ImportEnrollmentItem } from './dto/enrollment.dto';
import type { EnrollmentActor } from './enrollment-entry';
import { Enrollment, EnrollmentStore } from './enrollment.store';

/** Items per import request: 200 of the longest items (2,048-character identities in 4-byte UTF-8) fit BODY_LIMIT_BYTES. */
export const IMPORT_LIMIT = 200;

/** The administrators' view of caEnrollments: list, set, remove and import; the store audits each change. */
@Injectable()
export class EnrollmentsAdmin {
  constructor(
    private readonly store: EnrollmentStore,
    private readonly providers: CaProviders,
  ) {}

  async list(filter: { userCode?: string; vendor?: string }): Promise<EnrollmentView[]> {
    return (await this.store.list(filter)).map(toView);
  }

  async put(userCode: string, vendor: string, identity: string, actor: EnrollmentActor): Promise<EnrollmentView> {
    this.requireVendor(vendor, 'vendor');
    return toView(await this.store.put(vendor, userCode, identity, 'admin', actor));
  }

  async remove(
    userCode: string,
    actor: EnrollmentActor,
    vendor?: string,
  ): Promise<{ userCode: string; removed: number }> {
    const removed = await this.store.remove(userCode, actor, vendor);
    if (removed === 0) throw new NotFoundError(`No enrollment for userCode ${userCode}`, { field: 'userCode' });
    return { userCode, removed };
  }

  /** Validates the whole list first (a bad item names its index), then enrolls item by item. */
  async import(body: unknown, actor: EnrollmentActor): Promise<{ imported: number }> {
    const items = this.validateImport(body);
    for (const item of items) await this.store.put(item.vendor, item.userCode, item.identity, 'import', actor);
    return { imported: items.length };
  }

  private validateImport(body: unknown): ImportEnrollmentItem[] {
    if (!Array.isArray(body) || body.length === 0 || body.length > IMPORT_LIMIT) {
      throw new RequestValidationError([
        { field: 'body', problems: [`body must be a JSON array of 1-${IMPORT_LIMIT} {userCode, vendor, identity}`] },
      ]);
    }
    const items = body.map((raw: unknown, index) => {
      const item = plainToInstance(ImportEnrollmentItem, raw ?? {});
      const errors = validateSync(item, { whitelist: true, forbidNonWhitelisted: true });
      if (errors.length > 0) throw new RequestValidationError(flattenValidationErrors(errors, `[${index}]`));
      this.requireVendor(item.vendor, `[${index}].vendor`);
      return item;
    });
    // An exact repeat of an earlier item is the same fact (a staff list exported twice); one that contradicts it is not.
    const seen = new Map<string, string>();
    return items.filter((item, index) => {
      const fact = `${item.vendor}\n${item.userCode}\n${item.identity}`;
      const keys = [`u:${item.vendor}:${item.userCode}`, `i:${item.vendor}:${item.identity}`];
      if (keys.every((key) => seen.get(key) === fact)) return false;
      for (const key of keys) {
        if (seen.has(key)) {
          // Well-formed, but it contradicts an earlier item as a PUT contradicts a stored enrollment: a conflict.
          throw new ConflictError(`[${index}] repeats a userCode or identity of this vendor`, { field: `[${index}]` });
        }
        seen.set(key, fact);
      }
      return true;
    });
  }

  private requireVendor(vendor: string, field: string): void {
    if (!this.providers.names().includes(vendor)) {
      throw new RequestValidationError([
        { field, problems: [`${field} must be one of: ${this.providers.names().join(', ')}`] },
      ]);
    }
  }
}

function toView(enrollment: Enrollment): EnrollmentView {
  return {
    vendor: enrollment.vendor,
    userCode: enrollment.userCode,
    identity: enrollment.identity,
    source: enrollment.source,
    createdAt: enrollment.createdAt?.toISOString(),
    updatedAt: enrollment.updatedAt?.toISOString(),
  };
}
