/** A trusted timestamp over the chain head, as the anchor job stores it. */
export interface HeadTimestamp {
  /** The RFC 3161 TimeStampToken (DER). */
  token: Buffer;
  genTime: Date;
  /** The message-imprint hash: sm3 or sha256. */
  hashAlgorithm: string;
}

/**
 * What the anchor job and the verifier need from a TSA: a token over the head hash (the imprint is the hash of the 64
 * lowercase hex characters of the head hash, as UTF-8), and a check that a stored token still covers a given head hash,
 * is signed by a trusted TSA, and is well formed.
 */
export abstract class HeadTimestamper {
  abstract stampHead(headHash: string): Promise<HeadTimestamp>;
  abstract verifyHead(token: Buffer, headHash: string): Promise<{ valid: boolean; genTime?: Date; reason?: string }>;

  /** False when this timestamper can only check tokens (no TSA configured): the anchor job then makes none. */
  canStamp(): boolean {
    return true;
  }
}
