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

const SENSITIVE = new Set<string>(SENSITIVE_KEYS.map((key) => key.toLowerCase()));
const MAX_DEPTH = 8;

/**
 * A copy of a log object with sensitive keys masked at any depth and free text scrubbed. It runs only for lines that
 * are written, which costs far less than path-based redaction on every request's child logger.
 */
export function scrubObject(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  // Errors go to pino's own serializer; the gateway's error messages never carry request data.
  if (value === null || typeof value !== 'object' || value instanceof Error || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => scrubObject(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // Stack traces are file paths, which the token pattern would mangle; they carry no request data.
    copy[key] = SENSITIVE.has(key.toLowerCase()) ? REDACTED : key === 'stack' ? item : scrubObject(item, depth + 1);
  }
  return copy;
}

const KEY_ALTERNATION = SENSITIVE_KEYS.join('|');
const KEY_VALUE = new RegExp(
  `(["']?\\b(?:${KEY_ALTERNATION})\\b["']?\\s*[:=]\\s*)("[^"]*"|'[^']*'|[^\\s,&;}\\]]+)`,
  'gi',
);
const LONG_SECRET_LIKE = /\b[A-Za-z0-9+/_-]{48,}={0,2}/g;

/** Masks `key=value` / `"key": value` pairs of sensitive keys and long token-like runs inside free text. */
export function scrubText(text: string): string {
  return text.replace(KEY_VALUE, `$1${REDACTED}`).replace(LONG_SECRET_LIKE, REDACTED);
}
