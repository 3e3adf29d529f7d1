export { DEFAULT_SM2_USER_ID, KeyAlgorithm } from './constants';
export { CryptoError } from './errors';
export { sm2Sign, sm2Verify, sm2GenerateKeyPair, sm2Encrypt, sm2Decrypt, sm3, sm3Hex } from './sm2';
export { CertificateInfo, parseCertificate, checkValidity, loadCertificatesFromFiles } from './certificate';
export { verifyCertificateSignature, verifyChain } from './certificate-chain';
export { IssuedIdentity, TestCertificateAuthority } from './test-ca';
