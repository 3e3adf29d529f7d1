export { DEFAULT_SM2_USER_ID } from './constants';
export type { KeyAlgorithm } from './constants';
export { CryptoError } from './errors';
export { sm2Sign, sm2Verify, sm2GenerateKeyPair, sm2Encrypt, sm2Decrypt, sm3, sm3Hex } from './sm2';
export { parseCertificate, checkValidity, loadCertificatesFromFiles } from './certificate';
export type { CertificateInfo } from './certificate';
export { verifyCertificateSignature, verifyChain } from './certificate-chain';
export { TestCertificateAuthority } from './test-ca';
export type { IssuedIdentity } from './test-ca';
