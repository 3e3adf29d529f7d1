import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { RequestValidationError } from './gateway.errors';
import type { FieldProblem } from './messages';

/** Flattens nested class-validator errors into `a.b.c: problem` entries that name the field. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints
      ? [
          {
            field,
            problems: Object.values(error.constraints).map((p) => (p.startsWith(field) ? p : `${field}: ${p}`)),
            constraints: Object.keys(error.constraints),
          },
        ]
      : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Nest's pipe turns a missing body into `{}`, so a request with no body at all would pass a DTO whose fields are all
 * optional; a route that declares a body DTO needs one.
 */
class GatewayValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && value == null && typeof metadata.metatype === 'function') {
      throw new RequestValidationError([
        { field: 'body', problems: ['body: a JSON or form body is required'], constraints: ['required'] },
      ]);
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new GatewayValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new RequestValidationError(flattenValidationErrors(errors)),
  });
}
