import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrors } from '../common/openapi/api-contract';
import type { ApiKeyScope } from './api-keys.config';

export const REQUIRED_SCOPE = 'apiKeyScope';
export const API_KEY_SECURITY_SCHEME = 'apiKey';

/** The route needs an API key (`Authorization: Bearer <secret>`) that holds this scope; `admin` holds `read` too. */
export function RequireScope(scope: ApiKeyScope) {
  return applyDecorators(
    SetMetadata(REQUIRED_SCOPE, scope),
    ApiBearerAuth(API_KEY_SECURITY_SCHEME),
    ApiErrors([401, 'API_KEY_REQUIRED'], [403, 'SCOPE_REQUIRED']),
  );
}
