import { createHmac, timingSafeEqual } from 'node:crypto';

export const COSS_SIGN_ALGO = 'HMAC';
export const COSS_API_VERSION = '1.0';

/**
 * The canonical string COSS signs: `key=value` pairs joined by `&`, keys sorted, without `signature` and without
 * null/undefined values. Nested values are JSON-stringified (clients disagree; the gateway only sends flat requests).
 */
export function cossCanonicalString(fields: Record<string, unknown>): string {
  return Object.keys(fields)
    .filter((key) => key !== 'signature' && fields[key] !== undefined && fields[key] !== null)
    .sort()
    .map((key) => {
      const value = fields[key];
      return `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`;
    })
    .join('&');
}

export function cossRequestSignature(fields: Record<string, unknown>, appSecret: string): string {
  return createHmac('sha256', appSecret).update(cossCanonicalString(fields), 'utf8').digest('base64');
}

/** Adds version, appId, signAlgo and signature to a request body. */
export function signCossRequest<T extends object>(
  body: T,
  appId: string,
  appSecret: string,
): T & Record<string, string> {
  const fields: Record<string, unknown> = { ...body, version: COSS_API_VERSION, appId, signAlgo: COSS_SIGN_ALGO };
  return { ...fields, signature: cossRequestSignature(fields, appSecret) } as unknown as T & Record<string, string>;
}

export function verifyCossRequestSignature(fields: Record<string, unknown>, appSecret: string): boolean {
  if (typeof fields.signature !== 'string') return false;
  const expected = Buffer.from(cossRequestSignature(fields, appSecret));
  const given = Buffer.from(fields.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
