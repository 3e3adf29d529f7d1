import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { caConfig } from '../config';
import {
  CertificateInfo,
  checkValidity,
  issuerPath,
  parseCertificate,
  sm2Verify,
  verifyChain,
  verifySignedData,
} from '../crypto';
import { SignatureRejectedError } from '../common/errors';
import type { SignatureFormat, VerifiedSignature } from './ca.types';

export interface SignatureCheck {
  format: SignatureFormat;
  /** Base64 signature as the vendor returned it. */
  signature: string;
  /** The certificate to check against (required for SM2_DER; PKCS#7 may carry its own). */
  certificate?: CertificateInfo | string;
  /** The exact bytes that must have been signed. */
  signedBytes: Buffer;
  trustedRoots: CertificateInfo[];
  /** When the signature must have been valid: now for a fresh signature, the signing time for a stored one. */
  at?: Date;
}

export type CheckResult = { valid: true; signature: VerifiedSignature } | { valid: false; reason: string };

/** The one place where vendor signatures and certificates are checked, for fresh signatures and stored records alike. */
@Injectable()
export class SignatureVerifier {
  constructor(@Inject(caConfig.KEY) private readonly config: ConfigType<typeof caConfig>) {}

  async check(input: SignatureCheck): Promise<CheckResult> {
    const at = input.at ?? new Date();
    let certificate: CertificateInfo | undefined;
    try {
      certificate = typeof input.certificate === 'string' ? parseCertificate(input.certificate) : input.certificate;
    } catch {
      return { valid: false, reason: 'CERT_MALFORMED' };
    }
    if (input.format === 'SM2_DER') {
      if (!certificate) return { valid: false, reason: 'NO_SIGNER_CERT' };
      if (certificate.keyAlgorithm !== 'SM2' || !certificate.publicKeyHex)
        return { valid: false, reason: 'NOT_AN_SM2_CERT' };
      const signature = Buffer.from(input.signature, 'base64');
      if (!sm2Verify(input.signedBytes, signature, certificate.publicKeyHex, this.config.sm2UserId)) {
        return { valid: false, reason: 'BAD_SIGNATURE' };
      }
    } else {
      const result = await verifySignedData(input.signature, {
        expectedContent: input.signedBytes,
        externalSignerCert: certificate,
        userId: this.config.sm2UserId,
        at,
      });
      if (!result.valid || !result.signer) return { valid: false, reason: result.reason ?? 'BAD_SIGNATURE' };
      if (certificate && certificate.fingerprintSm3 !== result.signer.fingerprintSm3) {
        return { valid: false, reason: 'SIGNER_IS_NOT_PUBCERT' };
      }
      certificate = result.signer;
    }
    if (!certificate) return { valid: false, reason: 'NO_SIGNER_CERT' };
    const trust = this.checkCertificate(certificate, input.trustedRoots, at);
    if (trust) return { valid: false, reason: trust };
    const chain = issuerPath(certificate, input.trustedRoots);
    return { valid: true, signature: { format: input.format, signature: input.signature, certificate, chain } };
  }

  /** `check` for fresh vendor answers: anything that does not verify is refused, never stored as signed. */
  async require(input: SignatureCheck): Promise<VerifiedSignature> {
    const result = await this.check(input);
    if (!result.valid) {
      throw new SignatureRejectedError(`The vendor's signature did not verify (${result.reason})`, {
        reason: result.reason,
      });
    }
    return result.signature;
  }

  /** For a certificate that comes without verifiable data: it must parse, be valid now and be trusted. */
  async requireCertificate(der: string, trustedRoots: CertificateInfo[]): Promise<CertificateInfo> {
    let certificate: CertificateInfo;
    try {
      certificate = parseCertificate(der);
    } catch {
      throw new SignatureRejectedError("The vendor's certificate is malformed", { reason: 'CERT_MALFORMED' });
    }
    const problem = this.checkCertificate(certificate, trustedRoots);
    if (problem)
      throw new SignatureRejectedError(`The vendor's certificate was refused (${problem})`, { reason: problem });
    return certificate;
  }

  /** Validity at `at`, and the chain to a configured root when roots are configured. */
  checkCertificate(
    certificate: CertificateInfo,
    trustedRoots: CertificateInfo[],
    at: Date = new Date(),
  ): string | undefined {
    const validity = checkValidity(certificate, at);
    if (!validity.valid) return `CERT_${validity.reason}`;
    if (trustedRoots.length > 0) {
      const chain = verifyChain(certificate, trustedRoots, [], at);
      if (!chain.valid) return `UNTRUSTED${chain.reason ? `: ${chain.reason}` : ''}`;
    }
    return undefined;
  }
}
