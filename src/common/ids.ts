/**
 * Every id a client sends (signDataId, userId, accessToken, operationId): ASCII letters, digits, `_ . : -`, 1–128 long.
 * Spelled without `\w` so that the OpenAPI pattern (`.source`) means the same to non-JavaScript regex engines.
 */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
