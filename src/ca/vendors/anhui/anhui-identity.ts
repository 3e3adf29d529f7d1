import type { CertificateInfo } from '../../../crypto';

/**
 * The Anhui scan service has no stable user id: a nurse is her certificate's whole subject (every attribute, so the
 * serialNumber or UID tells two nurses of the same name apart) under its issuer. A renewed certificate for the same
 * person keeps both, so it needs no administrator.
 */
export function anhuiIdentity(certificate: Pick<CertificateInfo, 'subject' | 'issuer'>): string {
  return `${certificate.subject} | issuer: ${certificate.issuer}`;
}
