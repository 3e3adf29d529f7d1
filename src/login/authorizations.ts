import { Injectable } from '@nestjs/common';
import {
  ForbiddenError,
  IdentityMismatchError,
  NotFoundError,
  RequestValidationError,
  RescanRequiredError,
} from '../common/errors';
import { secretHash } from '../common/secrets/per-login-secret';
import { Enrollments } from '../enrollment/enrollments';
import { AuthorizationStore } from './authorization.store';
import { CaAuthorization } from './schemas/ca-authorization.schema';

export type UnusableReason =
  'UNKNOWN' | 'OTHER_USER' | 'ENDED' | 'EXPIRED' | 'CERT_EXPIRED' | 'IDENTITY_UNKNOWN' | 'IDENTITY_MISMATCH';

export type Usability = { usable: true; authorization: CaAuthorization } | { usable: false; reason: UnusableReason };

/**
 * Decides whether a nurse's authorization may sign now, binding it to her user code once. The credential is the
 * per-login token the PC received as msspId (and, when given, the handle it received as signDataId); the vendor's
 * user id and job ids are never accepted.
 */
@Injectable()
export class Authorizations {
  constructor(
    private readonly authorizations: AuthorizationStore,
    private readonly enrollments: Enrollments,
  ) {}

  async check(accessToken: string, signDataId: string | undefined, userCode: string | undefined): Promise<Usability> {
    let found = await this.authorizations.findByToken(secretHash(accessToken));
    if (!found || (signDataId !== undefined && secretHash(signDataId) !== found.handleHash))
      return { usable: false, reason: 'UNKNOWN' };
    if (!found.userCode && userCode) {
      // First use binds the authorization to the nurse at the PC; a concurrent bind by another code loses.
      found =
        (await this.authorizations.bind(found.signDataId, userCode)) ??
        (await this.authorizations.find(found.signDataId));
      if (!found) return { usable: false, reason: 'UNKNOWN' };
    }
    if (userCode && found.userCode !== userCode) return { usable: false, reason: 'OTHER_USER' };
    const dead = deadReason(found);
    if (dead) return { usable: false, reason: dead };
    if (found.userCode) {
      // Checked at every use, so an administrator's change takes effect on open authorizations too.
      if (!found.identity) return { usable: false, reason: 'IDENTITY_UNKNOWN' };
      const admission = await this.enrollments.admit(found.provider, found.userCode, found.identity, {
        handleRef: found.handleHash.slice(0, 8),
      });
      if (!admission.admitted) return { usable: false, reason: 'IDENTITY_MISMATCH' };
    }
    return { usable: true, authorization: found };
  }

  /** The live authorization of a token (queryImage, endAutoSign, startAutoSign's userId); null for anything else. */
  async live(accessToken: string): Promise<CaAuthorization | null> {
    const found = await this.authorizations.findByToken(secretHash(accessToken));
    return found && !deadReason(found) ? found : null;
  }

  /** As live, or the 404 that an unknown id gets: a dead token and a vendor user id are told apart from nothing. */
  async requireLive(accessToken: string, field: string): Promise<CaAuthorization> {
    const found = await this.live(accessToken);
    if (!found) throw new NotFoundError(`No open CA authorization for this ${field}`, { field });
    return found;
  }

  /** For signing: the authorization, or the error that tells the PC what to do. */
  async require(
    accessToken: string,
    signDataId: string | undefined,
    userCode: string | undefined,
  ): Promise<CaAuthorization & { userCode: string }> {
    const result = await this.check(accessToken, signDataId, userCode);
    if (!result.usable) {
      if (result.reason === 'IDENTITY_MISMATCH') {
        throw new IdentityMismatchError(
          'This CA identity is not the one enrolled for this UserCode: the nurse of this UserCode must scan',
          { reason: result.reason },
        );
      }
      if (result.reason === 'OTHER_USER') {
        throw new ForbiddenError('This CA authorization belongs to another user: sign with your own login', {
          reason: result.reason,
        });
      }
      throw new RescanRequiredError(`The CA authorization cannot be used (${result.reason}): scan the QR code again`, {
        reason: result.reason,
        rescan: true,
      });
    }
    const authorization = result.authorization;
    if (!authorization.userCode) {
      throw new RequestValidationError([
        { field: 'userCode', problems: ['userCode is required: this authorization is not bound to a user yet'] },
      ]);
    }
    return authorization as CaAuthorization & { userCode: string };
  }
}

function deadReason(found: CaAuthorization): UnusableReason | undefined {
  const now = Date.now();
  if (found.endedAt) return 'ENDED';
  if (!found.authorizedUntil || found.authorizedUntil.getTime() <= now) return 'EXPIRED';
  if (!found.certificate || found.certificate.notAfter.getTime() <= now) return 'CERT_EXPIRED';
  return undefined;
}
