const HEX = /^(?:[0-9a-fA-F]{2}){16,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A PDF hash as the signing control hands it over: 16 to 64 bytes, in hex or canonical base64. */
export function isDocumentHash(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (HEX.test(value)) return true;
  if (value.length % 4 !== 0 || !BASE64.test(value)) return false;
  const bytes = Buffer.from(value, 'base64');
  return bytes.length >= 16 && bytes.length <= 64 && bytes.toString('base64') === value;
}

/** Canonical base64 (what Buffer.toString('base64') would give back) of at most `maxBytes` bytes. */
export function isBase64(value: unknown, maxBytes: number): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length % 4 !== 0 || !BASE64.test(value)) return false;
  const bytes = Buffer.from(value, 'base64');
  return bytes.length <= maxBytes && bytes.toString('base64') === value;
}

const B4 = '(?:[A-Za-z0-9+/]{4})';
const TAIL1 = '[A-Za-z0-9+/][AQgw]==';
const TAIL2 = '[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=';
/** Canonical base64 (zero padding bits), non-empty; the byte limit is the schema's maxLength. */
export const BASE64_PATTERN = `^${B4}*(?:${B4}|${TAIL1}|${TAIL2})$`;
/** isDocumentHash as a regular expression, for the OpenAPI document: hex, or canonical base64 of 16 to 64 bytes. */
export const DOCUMENT_HASH_PATTERN = `^(?:(?:[0-9a-fA-F]{2}){16,64}|${B4}{5}(?:${TAIL1}|${TAIL2})|${B4}{6,20}(?:${TAIL1}|${TAIL2})?|${B4}{21}(?:${TAIL1})?)$`;

/** Base64 length of `bytes` bytes. */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}
