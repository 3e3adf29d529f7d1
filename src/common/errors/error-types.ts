/**
 * Every error `type` the gateway answers, by HTTP status: what the OpenAPI document lists as the `error.type` enum of
 * each error response. A spec checks that every GatewayError subclass in src/ is listed under its own status.
 */
export const ERROR_TYPES_BY_STATUS = {
  400: ['VALIDATION_FAILED', 'JSON_TOO_DEEP', 'BAD_REQUEST'],
  401: ['API_KEY_REQUIRED', 'RESCAN_REQUIRED'],
  403: ['SCOPE_REQUIRED', 'FORBIDDEN', 'CERT_REVOKED', 'IDENTITY_MISMATCH'],
  404: ['NOT_FOUND', 'CERTIFICATE_NOT_FOUND'],
  405: ['METHOD_NOT_ALLOWED'],
  408: ['REQUEST_TIMEOUT'],
  409: ['CONFLICT'],
  413: ['PAYLOAD_TOO_LARGE'],
  414: ['URI_TOO_LONG'],
  415: ['UNSUPPORTED_MEDIA_TYPE'],
  422: ['CAPABILITY_UNSUPPORTED'],
  429: ['RATE_LIMITED'],
  431: ['HEADERS_TOO_LARGE'],
  502: [
    'VENDOR_REFUSED',
    'VENDOR_JOB_EXPIRED',
    'VENDOR_USER_INACTIVE',
    'VENDOR_REQUEST_SIGNATURE_REJECTED',
    'VENDOR_BAD_PARAMETERS',
    'VENDOR_UNAUTHORIZED',
    'VENDOR_UNAVAILABLE',
    'VENDOR_BAD_RESPONSE',
    'SIGNATURE_REJECTED',
  ],
  503: ['DATABASE_UNAVAILABLE', 'CRL_STALE', 'SERVICE_UNAVAILABLE', 'AUDIT_UNVERIFIABLE'],
  504: ['VENDOR_TIMEOUT'],
} as const;

export type ErrorStatus = keyof typeof ERROR_TYPES_BY_STATUS;
export type ErrorType = (typeof ERROR_TYPES_BY_STATUS)[ErrorStatus][number];
