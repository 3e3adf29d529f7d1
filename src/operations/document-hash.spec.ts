import { createHash } from 'node:crypto';
import { isBase64, isDocumentHash } from './document-hash';

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
