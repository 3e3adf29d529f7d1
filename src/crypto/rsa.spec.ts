import { KeyObject } from 'crypto';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { CryptoError } from './errors';
import { hasOpenssl, openssl, withTmpDir } from './openssl-cli.testing';
import { encryptForCertificate, rsaDecrypt, rsaEncryptForCertificate } from './rsa';
import { sm2Decrypt } from './sm2';
import { IssuedIdentity, TestCertificateAuthority } from './test-ca';

const secret = Buffer.from('bid-envelope-key 投标文件');

describe(rsaEncryptForCertificate.name, () => {
  let rsaUser: IssuedIdentity;
  let otherRsaUser: IssuedIdentity;
  let sm2User: IssuedIdentity;

  beforeAll(async () => {
    const rsaCa = await TestCertificateAuthority.create({ commonName: 'Enc RSA CA', keyAlgorithm: 'RSA' });
    const sm2Ca = await TestCertificateAuthority.create({ commonName: 'Enc SM2 CA' });
    [rsaUser, otherRsaUser, sm2User] = await Promise.all([
      rsaCa.issue({ commonName: 'rsa' }),
      rsaCa.issue({ commonName: 'other rsa' }),
      sm2Ca.issue({ commonName: 'sm2' }),
    ]);
  });

  it('round-trips with a KeyObject or a PEM private key', () => {
    const ciphertext = rsaEncryptForCertificate(secret, rsaUser.cert);
    expect(ciphertext.length).toBe(256);
    expect(rsaDecrypt(ciphertext, rsaUser.privateKey)).toEqual(secret);
    const pem = (rsaUser.privateKey as KeyObject).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(rsaDecrypt(ciphertext, pem)).toEqual(secret);
  });

  it('throws CryptoError for the wrong key, tampered ciphertext or a non-RSA certificate', () => {
    const ciphertext = rsaEncryptForCertificate(secret, rsaUser.cert);
    expect(() => rsaDecrypt(ciphertext, otherRsaUser.privateKey)).toThrow(CryptoError);
    const tampered = Buffer.from(ciphertext);
    tampered[10] ^= 1;
    expect(() => rsaDecrypt(tampered, rsaUser.privateKey)).toThrow(CryptoError);
    expect(() => rsaEncryptForCertificate(secret, sm2User.cert)).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_ALGORITHM' }),
    );
    expect(() => rsaEncryptForCertificate(Buffer.alloc(300), rsaUser.cert)).toThrow(
      expect.objectContaining({ code: 'ENCRYPT_FAILED' }),
    );
  });

  it('picks SM2 or RSA by the certificate key (encryptForCertificate)', () => {
    const sm2 = encryptForCertificate(secret, sm2User.cert);
    expect(sm2.algorithm).toBe('SM2');
    expect(sm2Decrypt(sm2.ciphertext, sm2User.privateKeyHex as string)).toEqual(secret);
    const rsa = encryptForCertificate(secret, rsaUser.cert);
    expect(rsa.algorithm).toBe('RSA');
    expect(rsaDecrypt(rsa.ciphertext, rsaUser.privateKey)).toEqual(secret);
  });

  (hasOpenssl ? it : it.skip)('produces OAEP (SHA-256, MGF1-SHA-256) ciphertext that OpenSSL decrypts', () => {
    withTmpDir((dir) => {
      writeFileSync(join(dir, 'key.pem'), (rsaUser.privateKey as KeyObject).export({ type: 'pkcs8', format: 'pem' }));
      writeFileSync(join(dir, 'ct.bin'), rsaEncryptForCertificate(secret, rsaUser.cert));
      const plain = openssl(
        [
          'pkeyutl',
          '-decrypt',
          '-inkey',
          'key.pem',
          '-in',
          'ct.bin',
          '-pkeyopt',
          'rsa_padding_mode:oaep',
          '-pkeyopt',
          'rsa_oaep_md:sha256',
          '-pkeyopt',
          'rsa_mgf1_md:sha256',
        ],
        dir,
      );
      expect(plain).toEqual(secret);
    });
  });
});
