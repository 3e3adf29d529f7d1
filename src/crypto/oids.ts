export const OID = {
  pkcs7Data: '1.2.840.113549.1.7.1',
  pkcs7SignedData: '1.2.840.113549.1.7.2',
  gmtData: '1.2.156.10197.6.1.4.2.1',
  gmtSignedData: '1.2.156.10197.6.1.4.2.2',
  sm3: '1.2.156.10197.1.401',
  sm2WithSm3: '1.2.156.10197.1.501',
  sm2Sign: '1.2.156.10197.1.301.1',
  sm2Curve: '1.2.156.10197.1.301',
  ecPublicKey: '1.2.840.10045.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha1WithRsa: '1.2.840.113549.1.1.5',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  contentTypeAttr: '1.2.840.113549.1.9.3',
  messageDigestAttr: '1.2.840.113549.1.9.4',
  signingTimeAttr: '1.2.840.113549.1.9.5',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  cRLNumber: '2.5.29.20',
  timeStamping: '1.3.6.1.5.5.7.3.8',
} as const;

/** Digest OID -> node crypto hash name. */
export const DIGEST_NAMES: Readonly<Record<string, string>> = {
  [OID.sm3]: 'sm3',
  [OID.sha1]: 'sha1',
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};

/** RSA signature OID -> node crypto hash name. */
export const RSA_SIGNATURE_HASHES: Readonly<Record<string, string>> = {
  [OID.sha1WithRsa]: 'sha1',
  [OID.sha256WithRsa]: 'sha256',
  [OID.sha384WithRsa]: 'sha384',
  [OID.sha512WithRsa]: 'sha512',
};

/** Some GM/T producers label SM2 signatures with the bare curve OID. */
export const SM2_SIGNATURE_OIDS: ReadonlySet<string> = new Set([OID.sm2WithSm3, OID.sm2Sign, OID.sm2Curve]);
