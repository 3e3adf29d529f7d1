export type { OidFamily } from './pkcs7-parse';
export { verifySignedData } from './pkcs7-verify';
export type { SignedDataVerification, VerifySignedDataOptions } from './pkcs7-verify';
export { createSignedData } from './pkcs7-create';
export type { CreateSignedDataOptions } from './pkcs7-create';
