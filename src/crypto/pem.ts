import { CryptoError } from './errors';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

export function pemBlocks(text: string): { label: string; der: Buffer }[] {
  return Array.from(text.matchAll(PEM_BLOCK), (m) => ({ label: m[1], der: decodeBase64(m[2], 'PEM body') }));
}

export function toPem(der: Buffer, label: string): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function decodeBase64(text: string, what: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact)) throw new CryptoError('MALFORMED', `${what} is not base64`);
  return Buffer.from(compact, 'base64');
}

function looksLikeText(buf: Buffer): boolean {
  return buf.length > 0 && buf.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f));
}

/**
 * DER bytes from what callers hand over: DER, PEM (first block), or base64 text (vendors send base64 strings,
 * and .cer files in China are often base64 without PEM armour).
 */
export function toDer(input: Buffer | string): Buffer {
  if (Buffer.isBuffer(input) && input[0] === 0x30) return input;
  const text = Buffer.isBuffer(input) ? (looksLikeText(input) ? input.toString('latin1') : undefined) : input;
  if (text === undefined) return input as Buffer;
  if (text.includes('-----BEGIN ')) {
    const [first] = pemBlocks(text);
    if (!first) throw new CryptoError('MALFORMED', 'unterminated PEM block');
    return first.der;
  }
  return decodeBase64(text, 'input');
}
