import { CertificateInfo } from '../../crypto/certificate';
import { readBoundedBody } from '../bounded-body';
import { grantedTokenOf } from './timestamp-response';
import { buildTimestampRequest } from './timestamp-request';
import { checkTimestampToken } from './timestamp-token';
import { failed, TimestampCheckError, TimestampResult } from './timestamp.types';
import { TIMESTAMP_QUERY, TIMESTAMP_REPLY, TsaHash } from './tsp.constants';

export interface TimestampClientOptions {
  url: string;
  hash: TsaHash;
  policy?: string;
  timeoutMs: number;
  maxSkewSeconds: number;
  trustedRoots: CertificateInfo[];
  clock?: () => Date;
}

const MAX_REPLY_BYTES = 1024 * 1024;

/** Network errors carry their code on `cause` (undici); a timeout is an AbortSignal.timeout DOMException. */
function transportFailure(error: unknown): TimestampResult {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') return failed('TIMEOUT', 'TSA did not answer in time');
  const cause = (error as { cause?: { code?: string } }).cause;
  return failed('UNREACHABLE', `TSA unreachable${cause?.code ? ` (${cause.code})` : ''}`);
}

/** An RFC 3161 client over HTTP: one request per call, every answer checked before it is returned. */
export class TimestampClient {
  constructor(private readonly options: TimestampClientOptions) {}

  get hash(): TsaHash {
    return this.options.hash;
  }

  /** A token over the hash of `data` (the signature value), or the first reason it could not be had. */
  async timestamp(data: Buffer): Promise<TimestampResult> {
    const { url, hash, policy, timeoutMs } = this.options;
    const request = buildTimestampRequest(data, hash, policy);
    let body: Buffer;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': TIMESTAMP_QUERY, accept: TIMESTAMP_REPLY },
        body: request.der,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const bounded = await readBoundedBody(response, MAX_REPLY_BYTES);
      if (!response.ok) return failed('BAD_RESPONSE', `TSA answered HTTP ${response.status}`);
      if (!bounded) return failed('BAD_RESPONSE', 'reply too large');
      body = bounded;
    } catch (error) {
      return transportFailure(error);
    }
    try {
      const granted = grantedTokenOf(body);
      const token = await checkTimestampToken(
        granted.der,
        {
          data,
          trustedRoots: this.options.trustedRoots,
          expectedHash: hash,
          expectedNonce: request.nonce,
          maxSkewSeconds: this.options.maxSkewSeconds,
          now: (this.options.clock ?? (() => new Date()))(),
        },
        granted.decoded,
      );
      if (policy && token.policy !== policy)
        return failed('BAD_RESPONSE', `TSA used policy ${token.policy}, ${policy} was asked`);
      return { ok: true, token };
    } catch (error) {
      if (error instanceof TimestampCheckError) return failed(error.reason, error.message);
      return failed('BAD_RESPONSE', 'reply could not be read');
    }
  }
}
