import { ValidateIf } from 'class-validator';

/**
 * A request field that may be left out. Unlike @IsOptional, `null` is not "left out": it must pass the field's rules
 * (and so is refused), because the OpenAPI document does not declare these fields nullable and the services read an
 * absent field as `undefined` only.
 */
export function OptionalField(): PropertyDecorator {
  return ValidateIf((_object, value: unknown) => value !== undefined);
}
