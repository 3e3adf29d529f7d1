/** Every id a client sends (signDataId, userId, accessToken, operationId): letters, digits, `_ . : -`, 1–128 long. */
export const ID_PATTERN = /^[\w.:-]{1,128}$/;
