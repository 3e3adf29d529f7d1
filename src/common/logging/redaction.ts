/** Keys whose values never reach a log line, at any depth pino's redaction reaches. */
export const SENSITIVE_KEYS = [
  'accessToken',
  'msspId',
  'userId',
  'token',
  'password',
  'secret',
  'appSecret',
  'signature',
  'signResult',
  'signCert',
  'signStr',
  'pubCert',
  'cert',
  'certificate',
  'privateKey',
  'authorization',
  'cookie',
  'body',
  'docData',
  'value',
  'image',
] as const;

export const REDACTED = '[REDACTED]';

export function redactPaths(): string[] {
  const deep = SENSITIVE_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]);
  return [...deep, 'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'];
}

const KEY_ALTERNATION = SENSITIVE_KEYS.join('|');
const KEY_VALUE = new RegExp(`(["']?\\b(?:${KEY_ALTERNATION})\\b["']?\\s*[:=]\\s*)("[^"]*"|'[^']*'|[^\\s,&;}\\]]+)`, 'gi');
const LONG_SECRET_LIKE = /\b[A-Za-z0-9+/_-]{48,}={0,2}/g;

/** Masks `key=value` / `"key": value` pairs of sensitive keys and long token-like runs inside free text. */
export function scrubText(text: string): string {
  return text.replace(KEY_VALUE, `$1${REDACTED}`).replace(LONG_SECRET_LIKE, REDACTED);
}
