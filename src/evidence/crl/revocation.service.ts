import { Injectable } from '@nestjs/common';
import { CertificateInfo } from '../../crypto/certificate';
import { CryptoError } from '../../crypto/errors';
import { CrlInfo, crlReference, CrlReference, isNewerCrl, parseCrl, verifyCrl } from './crl';
import { CrlRegistry, revokedError } from './crl-registry';
import { CrlStore } from './crl.store';
import type { CrlRef, RevocationRef } from './revocation-ref.schema';

/** Revocation as long-term validation reports it: at the instant the signature is proven to have existed. */
export interface RevocationAt {
  status: 'GOOD' | 'REVOKED' | 'NOT_CHECKED';
  /** The CRL the answer comes from: the newer of the one the record kept and the issuer's newest one now. */
  crl?: CrlReference;
  revokedAt?: Date;
  notes: string[];
}

/**
 * Revocation checks on the gateway's verified CRLs: when a certificate is accepted (a login, a signature), and for
 * long-term validation of a stored record. A CRL is kept in caCrls before anything names its digest.
 */
@Injectable()
export class Revocation {
  constructor(
    private readonly registry: CrlRegistry,
    private readonly store: CrlStore,
  ) {}

  /**
   * At acceptance: throws CertRevokedError for a revoked certificate and CrlStaleError under CRL_STALE_POLICY=refuse;
   * otherwise what the record keeps of the check, or undefined when no CRL of the certificate's issuer is loaded.
   */
  async require(certificate: CertificateInfo): Promise<RevocationRef | undefined> {
    const check = this.registry.isRevoked(certificate);
    if (check.status === 'NO_CRL') return undefined;
    await this.keep(check.crl.sm3);
    if (check.status === 'REVOKED') throw revokedError(certificate, check.crl, check.revokedAt);
    const crl = check.crl;
    return {
      status: 'GOOD',
      checkedAt: new Date(),
      crl,
      ...(check.stale && {
        stale: true,
        note: `The CRL of ${crl.issuer} (number ${crl.number ?? '-'}) was past its nextUpdate (${crl.nextUpdate?.toISOString()}) and used under CRL_STALE_POLICY=warn`,
      }),
    };
  }

  /**
   * The certificate's state at `at` (a timestamp's genTime or the signing time), by the newer of the CRL the record
   * kept (re-verified against `trustedRoots`) and its issuer's newest CRL now: revoked at or before `at` is REVOKED;
   * revoked later is still GOOD at `at`, with a note.
   */
  async at(
    certificate: CertificateInfo,
    at: Date,
    kept: CrlRef | undefined,
    trustedRoots: CertificateInfo[],
  ): Promise<RevocationAt> {
    const notes: string[] = [];
    let newest: CrlInfo | undefined;
    if (kept) {
      const fromRecord = await this.keptCrl(kept.sm3, certificate, trustedRoots);
      if (typeof fromRecord === 'string') notes.push(fromRecord);
      else newest = fromRecord;
    }
    const current = this.registry.newestOf(certificate.issuer);
    if (current && isNewerCrl(current, newest)) {
      await this.keep(current.sm3);
      newest = current;
    }
    if (!newest) return { status: 'NOT_CHECKED', notes };
    const crl = crlReference(newest);
    const revokedAt = newest.revoked.get(certificate.serialNumber);
    if (!revokedAt) return { status: 'GOOD', crl, notes };
    if (revokedAt.getTime() <= at.getTime()) return { status: 'REVOKED', crl, revokedAt, notes };
    notes.push(`The signer certificate was revoked at ${revokedAt.toISOString()}, after ${at.toISOString()}`);
    return { status: 'GOOD', crl, revokedAt, notes };
  }

  private async keep(sm3: string): Promise<void> {
    const crl = this.registry.crlOf(sm3);
    if (crl) await this.store.keep(crl);
  }

  /** The kept CRL, checked again; a string says why it cannot be used. */
  private async keptCrl(
    sm3: string,
    certificate: CertificateInfo,
    trustedRoots: CertificateInfo[],
  ): Promise<CrlInfo | string> {
    const der = await this.store.bytesOf(sm3);
    if (!der) return `The CRL the record names (SM3 ${sm3}) is not kept`;
    let crl: CrlInfo;
    try {
      crl = parseCrl(der);
    } catch (error) {
      return `The kept CRL (SM3 ${sm3}) is unreadable (${(error as CryptoError).code ?? 'CRL_MALFORMED'})`;
    }
    if (crl.sm3 !== sm3) return `The kept CRL's bytes do not match its SM3 ${sm3}`;
    if (crl.issuer !== certificate.issuer) return `The kept CRL (SM3 ${sm3}) is not of the certificate's issuer`;
    const verdict = verifyCrl(crl, trustedRoots);
    if (!verdict.valid) return `The kept CRL (SM3 ${sm3}) does not verify (${verdict.reason})`;
    return crl;
  }
}
