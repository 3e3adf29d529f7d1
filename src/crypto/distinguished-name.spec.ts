import { attributeOid, formatName } from './distinguished-name';
import { encodeTlv } from './der';

function atv(oidBody: string, tag: number, value: Buffer): Buffer {
  return encodeTlv(0x30, encodeTlv(0x06, Buffer.from(oidBody, 'hex')), encodeTlv(tag, value));
}
const CN = '550403';
const O = '55040a';
const C = '550406';

describe(formatName.name, () => {
  it('prints RDNs last-first (RFC 4514) with short names and the most specific CN', () => {
    const name = encodeTlv(
      0x30,
      encodeTlv(0x31, atv(C, 0x13, Buffer.from('CN'))),
      encodeTlv(0x31, atv(O, 0x0c, Buffer.from('北京数字认证股份有限公司'))),
      encodeTlv(0x31, atv(CN, 0x1e, Buffer.from('张三', 'utf16le').swap16())),
    );
    expect(formatName(name)).toEqual({ text: 'CN=张三, O=北京数字认证股份有限公司, C=CN', commonName: '张三' });
  });

  it('escapes special characters, joins multi-valued RDNs with + and shows unknown types as OIDs', () => {
    const name = encodeTlv(
      0x30,
      encodeTlv(0x31, atv(CN, 0x0c, Buffer.from(' Smith, "J" <x>;#')), atv('2a0304', 0x0c, Buffer.from('v'))),
      encodeTlv(0x31, atv(O, 0x04, Buffer.from([1, 2]))),
    );
    expect(formatName(name).text).toBe('O=#04020102, CN=\\ Smith\\, \\"J\\" \\<x\\>\\;#+1.2.3.4=v');
  });
});

describe(attributeOid.name, () => {
  it('maps short names, emailAddress and dotted OIDs', () => {
    expect(attributeOid('cn')).toBe('2.5.4.3');
    expect(attributeOid('emailAddress')).toBe('1.2.840.113549.1.9.1');
    expect(attributeOid('1.2.3')).toBe('1.2.3');
    expect(attributeOid('nonsense')).toBeUndefined();
  });
});
