import { CryptoError } from './errors';
import { pemBlocks, toDer, toPem } from './pem';

describe(toDer.name, () => {
  const der = Buffer.from('3003020101', 'hex');

  it('accepts DER, PEM (string or Buffer) and base64 with whitespace', () => {
    const pem = toPem(der, 'CERTIFICATE');
    expect(pem).toBe('-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n');
    for (const input of [der, pem, Buffer.from(pem), 'MAMC\nAQE=', Buffer.from(' MAMCAQE= ')])
      expect(toDer(input)).toEqual(der);
  });

  it('throws CryptoError on text that is not base64', () => {
    expect(() => toDer('hello, world!')).toThrow(CryptoError);
    expect(() => toDer('-----BEGIN X-----\nMAMC')).toThrow(CryptoError);
  });

  it('finds every PEM block with its label', () => {
    const text = `a\n${toPem(der, 'CERTIFICATE')}b\n${toPem(der, 'PKCS7')}`;
    expect(pemBlocks(text).map((b) => b.label)).toEqual(['CERTIFICATE', 'PKCS7']);
  });
});
