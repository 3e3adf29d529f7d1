import type { CertificateInfo } from '../../crypto';
import type { StoredCertificate } from './ca-authorization.schema';

export function toStoredCertificate(cert: CertificateInfo): StoredCertificate {
  return {
    der: cert.der.toString('base64'),
    serialNumber: cert.serialNumber,
    subject: cert.subject,
    subjectCommonName: cert.subjectCommonName,
    issuer: cert.issuer,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    keyAlgorithm: cert.keyAlgorithm,
    fingerprintSm3: cert.fingerprintSm3,
  };
}
