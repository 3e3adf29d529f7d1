import { writeFileSync, readFileSync } from 'fs';
import { join } from 'path';
import { sm2 as smLib } from 'sm-crypto-v2';
import { DEFAULT_SM2_USER_ID } from './constants';
import { childrenOf, octetStringOf, readSingle, bitStringOf } from './der';
import { CryptoError } from './errors';
import { hasOpenssl, openssl, withTmpDir } from './openssl-cli.testing';
import { sm2Decrypt, sm2Encrypt, sm2GenerateKeyPair, sm2Sign, sm2Verify, sm3, sm3Hex } from './sm2';
import { SM2_N } from './sm2-keys';

const data = Buffer.from('护理记录 2024-05-01 08:00 体温 36.8');

function reencode(r: bigint, s: bigint): Buffer {
  const int = (v: bigint): Buffer => {
    let hex = v.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
    const bytes = Buffer.from(hex, 'hex');
    return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
  };
  const body = Buffer.concat([int(r), int(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

function scalars(sig: Buffer): [bigint, bigint] {
  const [r, s] = childrenOf(readSingle(sig)).map((t) =>
    BigInt(`0x${t.buf.subarray(t.valueStart, t.valueEnd).toString('hex')}`),
  );
  return [r, s];
}

describe(sm2Sign.name, () => {
  const keys = sm2GenerateKeyPair();

  it('round-trips sign and verify, also on repeated (cached, precomputed) verifications', () => {
    const sig = sm2Sign(data, keys.privateKeyHex);
    expect(sig[0]).toBe(0x30);
    for (let i = 0; i < 3; i++) expect(sm2Verify(data, sig, keys.publicKeyHex)).toBe(true);
  });

  it('rejects tampered data', () => {
    const sig = sm2Sign(data, keys.privateKeyHex);
    const tampered = Buffer.from(data);
    tampered[0] ^= 1;
    expect(sm2Verify(tampered, sig, keys.publicKeyHex)).toBe(false);
  });

  it('rejects a signature checked against another key', () => {
    const sig = sm2Sign(data, keys.privateKeyHex);
    expect(sm2Verify(data, sig, sm2GenerateKeyPair().publicKeyHex)).toBe(false);
  });

  it('binds the user ID into the signature', () => {
    const sig = sm2Sign(data, keys.privateKeyHex, 'nurse-42');
    expect(sm2Verify(data, sig, keys.publicKeyHex, 'nurse-42')).toBe(true);
    expect(sm2Verify(data, sig, keys.publicKeyHex)).toBe(false);
    expect(sm2Verify(data, sm2Sign(data, keys.privateKeyHex), keys.publicKeyHex, 'nurse-42')).toBe(false);
  });

  it('accepts the raw 64-byte r||s form and a public key without the 04 prefix', () => {
    const [r, s] = scalars(sm2Sign(data, keys.privateKeyHex));
    const raw = Buffer.from(r.toString(16).padStart(64, '0') + s.toString(16).padStart(64, '0'), 'hex');
    expect(sm2Verify(data, raw, keys.publicKeyHex.slice(2))).toBe(true);
  });

  it('rejects the malleable (r, s + n) form and out-of-range scalars', () => {
    const [r, s] = scalars(sm2Sign(data, keys.privateKeyHex));
    expect(sm2Verify(data, reencode(r, s), keys.publicKeyHex)).toBe(true);
    expect(sm2Verify(data, reencode(r, s + SM2_N), keys.publicKeyHex)).toBe(false);
    expect(sm2Verify(data, reencode(r + SM2_N, s), keys.publicKeyHex)).toBe(false);
    expect(sm2Verify(data, reencode(0n, s), keys.publicKeyHex)).toBe(false);
  });

  it('never throws on garbage signatures or keys', () => {
    const sig = sm2Sign(data, keys.privateKeyHex);
    expect(sm2Verify(data, Buffer.alloc(0), keys.publicKeyHex)).toBe(false);
    expect(sm2Verify(data, Buffer.from('3006020101020101', 'hex'), keys.publicKeyHex)).toBe(false);
    expect(sm2Verify(data, Buffer.from('not a signature'), keys.publicKeyHex)).toBe(false);
    expect(sm2Verify(data, sig, 'zz')).toBe(false);
    expect(sm2Verify(data, sig, `04${'11'.repeat(64)}`)).toBe(false);
  });

  it('interoperates with sm-crypto-v2 signing and verification', () => {
    const theirs = Buffer.from(
      smLib.doSignature(data, keys.privateKeyHex, { der: true, hash: true, userId: DEFAULT_SM2_USER_ID }),
      'hex',
    );
    expect(sm2Verify(data, theirs, keys.publicKeyHex)).toBe(true);
    const ours = sm2Sign(data, keys.privateKeyHex, 'abc');
    expect(
      smLib.doVerifySignature(data, ours.toString('hex'), keys.publicKeyHex, { der: true, hash: true, userId: 'abc' }),
    ).toBe(true);
  });

  it('throws CryptoError for an invalid private key', () => {
    expect(() => sm2Sign(data, 'xyz')).toThrow(CryptoError);
    expect(() => sm2Sign(data, '0')).toThrow(CryptoError);
  });

  (hasOpenssl ? it : it.skip)('interoperates with the OpenSSL CLI both ways (distid 1234567812345678)', () => {
    withTmpDir((dir) => {
      openssl(['ecparam', '-name', 'SM2', '-genkey', '-noout', '-out', 'key.pem'], dir);
      openssl(['ec', '-in', 'key.pem', '-pubout', '-out', 'pub.pem'], dir);
      const keyDer = openssl(['ec', '-in', 'key.pem', '-outform', 'DER'], dir);
      const privateKeyHex = octetStringOf(childrenOf(readSingle(keyDer))[1]).toString('hex');
      const spki = childrenOf(readSingle(openssl(['ec', '-in', 'key.pem', '-pubout', '-outform', 'DER'], dir)));
      const publicKeyHex = bitStringOf(spki[1]).toString('hex');
      writeFileSync(join(dir, 'msg'), data);

      openssl(
        ['dgst', '-sm3', '-sign', 'key.pem', '-sigopt', `distid:${DEFAULT_SM2_USER_ID}`, '-out', 'theirs.sig', 'msg'],
        dir,
      );
      expect(sm2Verify(data, readFileSync(join(dir, 'theirs.sig')), publicKeyHex)).toBe(true);

      writeFileSync(join(dir, 'ours.sig'), sm2Sign(data, privateKeyHex));
      const out = openssl(
        [
          'dgst',
          '-sm3',
          '-verify',
          'pub.pem',
          '-sigopt',
          `distid:${DEFAULT_SM2_USER_ID}`,
          '-signature',
          'ours.sig',
          'msg',
        ],
        dir,
      );
      expect(out.toString()).toContain('Verified OK');

      const encrypted = openssl(['pkeyutl', '-encrypt', '-pubin', '-inkey', 'pub.pem', '-in', 'msg'], dir);
      expect(sm2Decrypt(encrypted, privateKeyHex)).toEqual(data);
    });
  });
});

describe(sm2GenerateKeyPair.name, () => {
  it('returns a 64-digit private key and an uncompressed 04 public key', () => {
    const { privateKeyHex, publicKeyHex } = sm2GenerateKeyPair();
    expect(privateKeyHex).toMatch(/^[0-9a-f]{64}$/);
    expect(publicKeyHex).toMatch(/^04[0-9a-f]{128}$/);
  });
});

describe(sm2Encrypt.name, () => {
  const keys = sm2GenerateKeyPair();

  it('round-trips C1C3C2 with the 04 prefix', () => {
    const ct = sm2Encrypt(data, keys.publicKeyHex);
    expect(ct[0]).toBe(0x04);
    expect(ct.length).toBe(1 + 64 + 32 + data.length);
    expect(sm2Decrypt(ct, keys.privateKeyHex)).toEqual(data);
    expect(sm2Decrypt(sm2Encrypt(data, keys.publicKeyHex), keys.privateKeyHex)).toEqual(data);
  });

  it('round-trips an empty plaintext', () => {
    expect(sm2Decrypt(sm2Encrypt(Buffer.alloc(0), keys.publicKeyHex), keys.privateKeyHex)).toEqual(Buffer.alloc(0));
  });

  it('decrypts the GM/T 0009 ASN.1 ciphertext form', () => {
    const asn1 = Buffer.from(smLib.doEncrypt(data, keys.publicKeyHex, 1, { asn1: true }), 'hex');
    expect(sm2Decrypt(asn1, keys.privateKeyHex)).toEqual(data);
  });

  it('throws CryptoError for tampered ciphertext, the wrong key or garbage', () => {
    const ct = sm2Encrypt(data, keys.publicKeyHex);
    const tampered = Buffer.from(ct);
    tampered[tampered.length - 1] ^= 1;
    expect(() => sm2Decrypt(tampered, keys.privateKeyHex)).toThrow(CryptoError);
    expect(() => sm2Decrypt(ct, sm2GenerateKeyPair().privateKeyHex)).toThrow(CryptoError);
    expect(() => sm2Decrypt(Buffer.from('garbage'), keys.privateKeyHex)).toThrow(CryptoError);
    expect(() => sm2Decrypt(Buffer.alloc(120, 4), keys.privateKeyHex)).toThrow(CryptoError);
  });
});

describe(sm3.name, () => {
  it('matches the GB/T 32905 "abc" test vector', () => {
    expect(sm3Hex(Buffer.from('abc'))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(sm3(Buffer.from('abc')).length).toBe(32);
  });
});
