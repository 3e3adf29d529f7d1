import { CertificateInfo } from '../../crypto/certificate';
import { checkTimestampToken } from './timestamp-token';
import { failed, TimestampCheckError, TimestampResult } from './timestamp.types';

export interface StoredTimestampCheck {
  /** The signature value the token was requested for. */
  data: Buffer;
  trustedRoots: CertificateInfo[];
  extraCertificates?: CertificateInfo[];
}

/**
 * Re-checks a stored token offline, years later: imprint against the signature bytes, the TSA's signature and
 * ESS binding, the EKU, and the chain at the token's own genTime (not now, so an expired TSA certificate is fine).
 */
export async function verifyStoredTimestamp(tokenDer: Buffer, check: StoredTimestampCheck): Promise<TimestampResult> {
  try {
    return { ok: true, token: await checkTimestampToken(tokenDer, check) };
  } catch (error) {
    if (error instanceof TimestampCheckError) return failed(error.reason, error.message);
    return failed('BAD_RESPONSE', 'token could not be read');
  }
}
