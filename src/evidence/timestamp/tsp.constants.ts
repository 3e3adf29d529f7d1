import { OID } from '../../crypto/oids';

export const TSP_OID = {
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

export const TSA_HASHES = ['sm3', 'sha256'] as const;
export type TsaHash = (typeof TSA_HASHES)[number];

/** Message-imprint hash name -> OID, for requests. */
export const TSA_HASH_OIDS: Readonly<Record<TsaHash, string>> = { sm3: OID.sm3, sha256: OID.sha256 };

export const TIMESTAMP_QUERY = 'application/timestamp-query';
export const TIMESTAMP_REPLY = 'application/timestamp-reply';

/** PKIStatus values (RFC 3161 section 2.4.2) that carry a token. */
export const GRANTED_STATUSES: ReadonlySet<number> = new Set([0, 1]);
