import { TsaHash } from './tsp.constants';

export const TIMESTAMP_FAILURES = [
  'UNREACHABLE',
  'TIMEOUT',
  'BAD_RESPONSE',
  'NOT_GRANTED',
  'IMPRINT_MISMATCH',
  'NONCE_MISMATCH',
  'BAD_SIGNATURE',
  'UNTRUSTED',
  'NO_TIMESTAMPING_EKU',
  'SKEW',
] as const;
export type TimestampFailureReason = (typeof TIMESTAMP_FAILURES)[number];

/** A checked RFC 3161 token and what a record needs to show and keep of it. */
export interface TimestampToken {
  /** The TimeStampToken (CMS ContentInfo) DER, as `openssl ts -verify -token_in` reads it. */
  tokenDer: Buffer;
  genTime: Date;
  /** Upper-case hex, as OpenSSL prints it. */
  serialNumber: string;
  policy: string;
  tsaSubject: string;
  /** SM3 fingerprint of the TSA certificate, to find it again among stored certificates. */
  tsaCertificateSm3: string;
  hashAlgorithm: TsaHash;
}

export interface TimestampFailure {
  reason: TimestampFailureReason;
  /** Safe to log: never holds token bytes or certificate contents. */
  message: string;
}

export type TimestampResult = { ok: true; token: TimestampToken } | { ok: false; failure: TimestampFailure };

/** Thrown inside the checks and turned into a `TimestampResult` at the edge; never escapes the client. */
export class TimestampCheckError extends Error {
  constructor(
    readonly reason: TimestampFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'TimestampCheckError';
  }
}

export function failed(reason: TimestampFailureReason, message: string): TimestampResult {
  return { ok: false, failure: { reason, message } };
}
