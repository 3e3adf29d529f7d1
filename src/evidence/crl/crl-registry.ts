import { Logger } from '@nestjs/common';
import { CertificateInfo } from '../../crypto/certificate';
import { CryptoError } from '../../crypto/errors';
import { CrlInfo, crlReference, CrlReference, crlReferenceView, isNewerCrl, parseCrl, verifyCrl } from './crl';
import { CertRevokedError, CrlStaleError } from './crl.errors';

export type CrlStalePolicy = 'warn' | 'refuse';

export type RevocationCheck =
  | { status: 'GOOD'; crl: CrlReference; stale: boolean; revokedLaterAt?: Date }
  | { status: 'REVOKED'; crl: CrlReference; stale: boolean; revokedAt: Date }
  /** No CRL of the certificate's issuer is loaded: nothing can be said. */
  | { status: 'NO_CRL' };

export interface CrlRegistryOptions {
  trustedRoots: CertificateInfo[];
  intermediates?: CertificateInfo[];
  stalePolicy: CrlStalePolicy;
  clock?: () => Date;
}

/**
 * The newest verified CRL of each issuer, and every CRL it has verified by SM3 digest (a record keeps the digest; the
 * bytes are kept once for long-term validation). A CRL is added only when its own signature verifies against the roots.
 */
export class CrlRegistry {
  private readonly logger = new Logger(CrlRegistry.name);
  private readonly byIssuer = new Map<string, CrlInfo>();
  private readonly byDigest = new Map<string, CrlInfo>();
  private readonly warnedStale = new Set<string>();

  constructor(private readonly options: CrlRegistryOptions) {}

  get stalePolicy(): CrlStalePolicy {
    return this.options.stalePolicy;
  }

  /** Parses and verifies a CRL; throws CryptoError (CRL_MALFORMED, CRL_UNSUPPORTED, CRL_UNTRUSTED) when unusable. */
  add(input: Buffer): { crl: CrlReference; replaced: boolean } {
    const crl = parseCrl(input);
    const verdict = verifyCrl(crl, this.options.trustedRoots, this.options.intermediates);
    if (!verdict.valid) throw new CryptoError('CRL_UNTRUSTED', `CRL of ${crl.issuer}: ${verdict.reason}`);
    this.byDigest.set(crl.sm3, crl);
    const replaced = isNewerCrl(crl, this.byIssuer.get(crl.issuer));
    if (replaced) this.byIssuer.set(crl.issuer, crl);
    return { crl: crlReference(crl), replaced };
  }

  /** The DER of a CRL this registry has verified, by the digest a record keeps. */
  bytesOf(sm3: string): Buffer | undefined {
    return this.byDigest.get(sm3)?.der;
  }

  /** A CRL this registry has verified, by its digest. */
  crlOf(sm3: string): CrlInfo | undefined {
    return this.byDigest.get(sm3);
  }

  /** The newest verified CRL of an issuer, stale or not (long-term validation judges it by its dates itself). */
  newestOf(issuer: string): CrlInfo | undefined {
    return this.byIssuer.get(issuer);
  }

  get loaded(): CrlReference[] {
    return [...this.byIssuer.values()].map(crlReference);
  }

  /**
   * Whether `certificate` was revoked at `at` (default now) according to its issuer's newest CRL. A CRL past its
   * nextUpdate is used with a warning (`warn`) or makes the check fail with CRL_STALE (`refuse`).
   */
  isRevoked(certificate: CertificateInfo, at?: Date): RevocationCheck {
    const crl = this.byIssuer.get(certificate.issuer);
    if (!crl) return { status: 'NO_CRL' };
    const now = (this.options.clock ?? (() => new Date()))();
    const stale = !!crl.nextUpdate && now.getTime() > crl.nextUpdate.getTime();
    if (stale) this.onStale(crl);
    const reference = crlReference(crl);
    const revokedAt = crl.revoked.get(certificate.serialNumber);
    if (!revokedAt) return { status: 'GOOD', crl: reference, stale };
    if (revokedAt.getTime() <= (at ?? now).getTime()) return { status: 'REVOKED', crl: reference, stale, revokedAt };
    return { status: 'GOOD', crl: reference, stale, revokedLaterAt: revokedAt };
  }

  /** Throws CertRevokedError for a revoked certificate; otherwise the CRL that was used, if any. */
  assertNotRevoked(certificate: CertificateInfo, at?: Date): CrlReference | undefined {
    const check = this.isRevoked(certificate, at);
    if (check.status === 'NO_CRL') return undefined;
    if (check.status === 'REVOKED') throw revokedError(certificate, check.crl, check.revokedAt);
    return check.crl;
  }

  private onStale(crl: CrlInfo): void {
    const next = crl.nextUpdate?.toISOString();
    if (this.options.stalePolicy === 'refuse') {
      throw new CrlStaleError('the issuer CRL is past its nextUpdate', { issuer: crl.issuer, nextUpdate: next });
    }
    // Once per CRL, so that every login does not repeat it.
    if (this.warnedStale.has(crl.sm3)) return;
    this.warnedStale.add(crl.sm3);
    this.logger.warn(
      { issuer: crl.issuer, crlNumber: crl.number, nextUpdate: next },
      'CRL past its nextUpdate is still in use (CRL_STALE_POLICY=warn)',
    );
  }
}

export function revokedError(certificate: CertificateInfo, crl: CrlReference, revokedAt: Date): CertRevokedError {
  return new CertRevokedError('the certificate has been revoked by its issuer', {
    serialNumber: certificate.serialNumber,
    issuer: certificate.issuer,
    revokedAt: revokedAt.toISOString(),
    crl: crlReferenceView(crl),
  });
}
