import { createHash } from 'node:crypto';
import { base64Length, BASE64_PATTERN, DOCUMENT_HASH_PATTERN, isBase64, isDocumentHash } from './document-hash';

describe(isDocumentHash.name, () => {
  const digest = createHash('sha256').update('pdf').digest();

  it.each([
    ['SHA-256 hex', digest.toString('hex')],
    ['upper-case hex', digest.toString('hex').toUpperCase()],
    ['SHA-256 base64', digest.toString('base64')],
    ['SM3-sized hex', 'ab'.repeat(32)],
    ['MD5-sized hex', 'ab'.repeat(16)],
    ['SHA-512 base64', createHash('sha512').update('pdf').digest('base64')],
  ])('accepts %s', (_name, value) => expect(isDocumentHash(value)).toBe(true));

  it.each([
    ['an empty string', ''],
    ['odd-length hex', 'abc'.repeat(11)],
    ['too short', 'ab'.repeat(15)],
    ['too long', 'ab'.repeat(65)],
    ['non-canonical base64', `${digest.toString('base64').slice(0, -2)}B=`],
    ['base64 without padding', digest.toString('base64').replace(/=+$/, '')],
    ['base64url', Buffer.from([0xfb, 0xff, ...digest]).toString('base64url')],
    ['text', 'this is not a hash at all, just words'],
    ['a number', 42],
  ])('refuses %s', (_name, value) => expect(isDocumentHash(value)).toBe(false));
});

describe(isBase64.name, () => {
  it('accepts canonical base64 up to the size limit', () => {
    expect(isBase64(Buffer.alloc(10, 1).toString('base64'), 10)).toBe(true);
    expect(isBase64(Buffer.alloc(11, 1).toString('base64'), 10)).toBe(false);
  });

  it('refuses empty, unpadded and non-base64 text', () => {
    expect(isBase64('', 10)).toBe(false);
    expect(isBase64('AQID', 10)).toBe(true);
    expect(isBase64('AQI', 10)).toBe(false);
    expect(isBase64('AQ==x', 10)).toBe(false);
    expect(isBase64('not base64!', 10)).toBe(false);
  });
});

describe('the OpenAPI patterns', () => {
  const samples = (): string[] => {
    const out = ['', 'AQ', 'AQ=', 'AQ==x', 'AR==', 'AQI=', 'AQJ=', 'not base64!', 'ab'.repeat(16), 'ab'.repeat(65)];
    for (let n = 0; n <= 70; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) % 256));
      const b64 = bytes.toString('base64');
      out.push(b64, bytes.toString('hex'), b64.replace(/=+$/, ''), `${b64}\n`);
      if (b64.endsWith('=')) out.push(b64.replace(/.(=+)$/, (_m, pad: string) => `B${pad}`));
    }
    return out;
  };

  it('DOCUMENT_HASH_PATTERN accepts exactly what isDocumentHash accepts', () => {
    const pattern = new RegExp(DOCUMENT_HASH_PATTERN);
    for (const value of samples())
      expect({ value, ok: pattern.test(value) }).toEqual({ value, ok: isDocumentHash(value) });
  });

  it('BASE64_PATTERN with maxLength accepts exactly what isBase64 accepts (a byte limit that is a multiple of 3)', () => {
    const pattern = new RegExp(BASE64_PATTERN);
    for (const value of samples()) {
      const ok = pattern.test(value) && value.length <= base64Length(42);
      expect({ value, ok }).toEqual({ value, ok: isBase64(value, 42) });
    }
  });
});
