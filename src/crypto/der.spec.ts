import { childrenOf, encodeTlv, octetStringOf, oidOf, readSingle, readTlv } from './der';
import { CryptoError } from './errors';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s/g, ''), 'hex');

describe(readTlv.name, () => {
  it('reads definite and indefinite lengths and nested children', () => {
    const definite = readSingle(hex('30 06 02 01 05 04 01 aa'));
    expect(childrenOf(definite).map((c) => c.tagNumber)).toEqual([2, 4]);
    const indefinite = readSingle(hex('30 80 02 01 05 24 80 04 01 aa 04 02 bb cc 00 00 00 00'));
    const [, octets] = childrenOf(indefinite);
    expect(indefinite.end).toBe(18);
    expect(octetStringOf(octets)).toEqual(hex('aa bb cc'));
  });

  it('reads long-form lengths and high tag numbers', () => {
    const long = Buffer.concat([hex('04 82 01 00'), Buffer.alloc(256, 1)]);
    expect(octetStringOf(readSingle(long)).length).toBe(256);
    const highTag = readSingle(hex('9f 81 00 01 ff'));
    expect([highTag.tagClass, highTag.tagNumber]).toEqual([2, 128]);
  });

  it('throws CryptoError MALFORMED on truncation, trailing bytes, bad lengths and deep nesting', () => {
    const bad = ['30 05 02 01', '02 01 05 00', '04 80 00 00', '30 85 01 00 00 00 00', '30 80 02 01 05', ''];
    for (const input of bad) expect(() => readSingle(hex(input))).toThrow(CryptoError);
    const deep = Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 2 ? 0x80 : 0x30)));
    expect(() => readSingle(deep)).toThrow(/nesting|end-of-contents/);
  });
});

describe(oidOf.name, () => {
  it('decodes OIDs including the first-arc rules and large arcs', () => {
    const oid = (body: string): string => oidOf(readSingle(encodeTlv(0x06, hex(body))));
    expect(oid('2a 81 1c cf 55 01 83 75')).toBe('1.2.156.10197.1.501');
    expect(oid('2a 86 48 86 f7 0d 01 07 02')).toBe('1.2.840.113549.1.7.2');
    expect(oid('55 04 03')).toBe('2.5.4.3');
    expect(oid('69 83 a4 a6 85 b1 e5 b4 b5 a0 e2 a0 85 01')).toMatch(/^2\.25\.\d{20,}$/);
    expect(() => oid('2a 81')).toThrow(CryptoError);
  });
});

describe(encodeTlv.name, () => {
  it('uses the shortest length form', () => {
    expect(encodeTlv(0x04, Buffer.alloc(3))).toEqual(hex('04 03 00 00 00'));
    expect(encodeTlv(0x04, Buffer.alloc(200)).subarray(0, 3)).toEqual(hex('04 81 c8'));
    expect(encodeTlv(0x30, Buffer.alloc(300)).subarray(0, 4)).toEqual(hex('30 82 01 2c'));
  });
});
