/** GM/T 0009 default signer ID; every Chinese CA signs with it unless told otherwise. */
export const DEFAULT_SM2_USER_ID = '1234567812345678';

export type KeyAlgorithm = 'SM2' | 'RSA';
