import * as crypto from './index';

describe('index', () => {
  it('exports the public API', () => {
    const functions = [
      'sm2Sign',
      'sm2Verify',
      'sm2GenerateKeyPair',
      'sm2Encrypt',
      'sm2Decrypt',
      'sm3',
      'sm3Hex',
      'parseCertificate',
      'checkValidity',
      'verifyCertificateSignature',
      'verifyChain',
      'loadCertificatesFromFiles',
      'verifySignedData',
      'createSignedData',
      'rsaEncryptForCertificate',
      'rsaDecrypt',
      'encryptForCertificate',
    ] as const;
    for (const name of functions) expect(typeof crypto[name]).toBe('function');
    expect(crypto.DEFAULT_SM2_USER_ID).toBe('1234567812345678');
    expect(new crypto.CryptoError('X', 'm')).toMatchObject({ code: 'X', message: 'm', name: 'CryptoError' });
    // The test CA is for the simulators and specs, which import it from its file; production never sees it.
    expect('TestCertificateAuthority' in crypto).toBe(false);
  });
});
