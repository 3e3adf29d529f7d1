import type { FieldProblem } from './messages';

/** Every error the gateway raises on purpose; the envelope filter turns it into one JSON shape. */
export abstract class GatewayError extends Error {
  abstract readonly httpStatus: number;
  abstract readonly type: string;

  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class RequestValidationError extends GatewayError {
  readonly httpStatus = 400;
  readonly type = 'VALIDATION_FAILED';

  constructor(readonly fields: FieldProblem[]) {
    super(fields.map((f) => f.problems.join('; ')).join('; '), {
      fields: fields.map(({ field, problems }) => ({ field, problems })),
    });
  }
}

/** A body nested deeper than JSON_MAX_DEPTH; refused before anything recursive walks it. */
export class JsonTooDeepError extends GatewayError {
  readonly httpStatus = 400;
  readonly type = 'JSON_TOO_DEEP';

  constructor(maxDepth: number) {
    super(`The request body is nested deeper than ${maxDepth} levels`, { maxDepth });
  }
}

/** No API key, or one the gateway does not know. */
export class ApiKeyRequiredError extends GatewayError {
  readonly httpStatus = 401;
  readonly type = 'API_KEY_REQUIRED';
}

/** A known API key without the scope the route declares. */
export class ScopeRequiredError extends GatewayError {
  readonly httpStatus = 403;
  readonly type = 'SCOPE_REQUIRED';
}

export class NotFoundError extends GatewayError {
  readonly httpStatus = 404;
  readonly type = 'NOT_FOUND';
}

export class ForbiddenError extends GatewayError {
  readonly httpStatus = 403;
  readonly type = 'FORBIDDEN';
}

/** Too many logins from one client address; `Retry-After` says when to try again. */
export class RateLimitedError extends GatewayError {
  readonly httpStatus = 429;
  readonly type = 'RATE_LIMITED';

  constructor(message: string, retryAfterSeconds: number) {
    super(message, { retryAfterSeconds });
  }

  get headers(): Record<string, string> {
    return { 'retry-after': String(this.details.retryAfterSeconds) };
  }
}

/** The CA identity that logged in is not the one enrolled for the UserCode (or, under preenrolled, none is). */
export class IdentityMismatchError extends GatewayError {
  readonly httpStatus = 403;
  readonly type = 'IDENTITY_MISMATCH';
}

/** The authorization cannot be used any more: the PC must show a fresh QR code for the nurse to scan. */
export class RescanRequiredError extends GatewayError {
  readonly httpStatus = 401;
  readonly type = 'RESCAN_REQUIRED';
}

export class ConflictError extends GatewayError {
  readonly httpStatus = 409;
  readonly type = 'CONFLICT';
}

/** A signature or certificate that did not verify; never accepted, whoever produced it. */
export class SignatureRejectedError extends GatewayError {
  readonly httpStatus = 502;
  readonly type = 'SIGNATURE_REJECTED';
}

/** The CA vendor cannot do what was asked (for example an operation only the scan service offers). */
export class CapabilityUnsupportedError extends GatewayError {
  readonly httpStatus = 422;
  readonly type = 'CAPABILITY_UNSUPPORTED';

  constructor(vendor: string, capability: string) {
    super(`The CA vendor ${vendor} cannot ${capability}`, { vendor, capability });
  }
}
