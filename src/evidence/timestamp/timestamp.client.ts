import axios from 'axios';
import { CertificateInfo } from '../../crypto/certificate';
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

/** A whole-exchange timeout is a cancellation; a reply past the size bound is axios's maxContentLength error. */
function transportFailure(error: unknown): TimestampResult {
  if (axios.isCancel(error)) return failed('TIMEOUT', 'TSA did not answer in time');
  const { code, message } = error as { code?: string; message?: string };
  if (message?.startsWith('maxContentLength')) return failed('BAD_RESPONSE', 'reply too large');
  return failed('UNREACHABLE', `TSA unreachable${code ? ` (${code})` : ''}`);
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
      // axios over node:http rather than fetch: about half the CPU per exchange, and a token is fetched per signature.
      const response = await axios.post<ArrayBuffer>(url, request.der, {
        headers: { 'content-type': TIMESTAMP_QUERY, accept: TIMESTAMP_REPLY },
        responseType: 'arraybuffer',
        maxContentLength: MAX_REPLY_BYTES,
        maxRedirects: 0,
        signal: AbortSignal.timeout(timeoutMs),
        validateStatus: () => true,
      });
      if (response.status < 200 || response.status >= 300)
        return failed('BAD_RESPONSE', `TSA answered HTTP ${response.status}`);
      body = Buffer.from(response.data);
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
