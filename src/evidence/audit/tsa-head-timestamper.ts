import type { CertificateInfo } from '../../crypto/certificate';
import { TimestampClient, verifyStoredTimestamp } from '../timestamp';
import { AuditUnverifiableError } from './audit.errors';
import { HeadTimestamp, HeadTimestamper } from './head-timestamper';

/** The chain head as the TSA sees it: its 64 lowercase hex characters, as UTF-8 (the imprint hashes these bytes). */
function headBytes(headHash: string): Buffer {
  return Buffer.from(headHash, 'utf8');
}

/**
 * Anchors through the project's RFC 3161 client (TSA_URL, or the embedded simulator) and checks stored anchor tokens
 * against the configured TSA roots at their own genTime. Without a client (TSA_DISABLED=true) it still checks tokens
 * made earlier, but makes none.
 */
export class TsaHeadTimestamper extends HeadTimestamper {
  constructor(
    private readonly client: TimestampClient | null,
    private readonly trustedRoots: CertificateInfo[],
  ) {
    super();
  }

  override canStamp(): boolean {
    return this.client !== null;
  }

  async stampHead(headHash: string): Promise<HeadTimestamp> {
    if (!this.client) throw new Error('No TSA is configured (TSA_DISABLED=true): the chain head cannot be stamped');
    const result = await this.client.timestamp(headBytes(headHash));
    if (!result.ok)
      throw new Error(`TSA gave no token for the chain head (${result.failure.reason}): ${result.failure.message}`);
    const { tokenDer, genTime, hashAlgorithm } = result.token;
    return { token: tokenDer, genTime, hashAlgorithm };
  }

  async verifyHead(token: Buffer, headHash: string): Promise<{ valid: boolean; genTime?: Date; reason?: string }> {
    if (this.trustedRoots.length === 0) {
      throw new AuditUnverifiableError(
        'The chain holds anchors but no TSA root is configured (TSA_TRUSTED_ROOTS) to check their tokens',
      );
    }
    const result = await verifyStoredTimestamp(token, { data: headBytes(headHash), trustedRoots: this.trustedRoots });
    return result.ok ? { valid: true, genTime: result.token.genTime } : { valid: false, reason: result.failure.reason };
  }
}
