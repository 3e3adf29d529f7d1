import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { ApiKeyScope } from './api-keys.config';

export const REQUIRED_SCOPE = 'apiKeyScope';
export const API_KEY_SECURITY_SCHEME = 'apiKey';

/** The route needs an API key (`Authorization: Bearer <secret>`) that holds this scope; `admin` holds `read` too. */
export function RequireScope(scope: ApiKeyScope) {
  return applyDecorators(
    SetMetadata(REQUIRED_SCOPE, scope),
    ApiBearerAuth(API_KEY_SECURITY_SCHEME),
    ApiUnauthorizedResponse({ description: 'No API key, or an unknown one (error type API_KEY_REQUIRED)' }),
    ApiForbiddenResponse({ description: `The API key lacks the scope "${scope}" (error type SCOPE_REQUIRED)` }),
  );
}
