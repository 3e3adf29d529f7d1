import { CapabilityUnsupportedError } from '../common/errors';
import type { CertificateInfo } from '../crypto';
import type {
  Capability,
  LoginProgress,
  OperationProgress,
  PhoneOperation,
  ProviderName,
  QrJob,
  SealData,
  SealImage,
  SealOption,
  SignOutcome,
  SignProgress,
  SignRequest,
  VerifiedSignature,
} from './ca.types';

/**
 * The vendor-neutral CA contract, and the injection token of the default provider. Implementations verify every
 * signature they hand back; callers never see vendor JSON. A vendor declares its capabilities and implements the
 * methods they need; the others answer 422 CAPABILITY_UNSUPPORTED.
 */
export abstract class CaProvider {
  abstract readonly name: ProviderName;

  abstract readonly capabilities: readonly Capability[];

  /** The vendor is asked about one job at most this often, however many PCs or instances ask. */
  abstract readonly pollIntervalMs: number;

  /** The roots this vendor's certificates must chain to; empty when none are configured. */
  abstract readonly trustedRoots: CertificateInfo[];

  can(capability: Capability): boolean {
    return this.capabilities.includes(capability);
  }

  /** Starts a QR login that, once scanned, also authorizes signing for `validitySeconds` where the vendor has that. */
  /** `userId`, where the vendor supports it, limits the QR code to one known user. */
  abstract startLogin(request: { validitySeconds: number; title: string; userId?: string }): Promise<QrJob>;

  abstract pollLogin(job: Pick<QrJob, 'jobId' | 'challenge'>): Promise<LoginProgress>;

  abstract fetchSealImage(userId: string, certificateSerial?: string): Promise<SealImage | undefined>;

  /** Signs `data` exactly: automatically, or by returning a QR job the nurse must scan. */
  abstract sign(request: SignRequest): Promise<SignOutcome>;

  abstract endAuthorization(userId: string): Promise<void>;

  /** Follows a signing QR job started by `sign` (interactive signing). */
  pollSign(_job: { jobId: string; data: Buffer }): Promise<SignProgress> {
    return this.unsupported('interactiveSign');
  }

  /** Starts an operation the nurse confirms on her phone; `message` is what the phone works on. */
  startOperation(operation: PhoneOperation, _message: string, _title: string): Promise<QrJob> {
    return this.unsupported(operation);
  }

  pollOperation(job: { jobId: string; operation: PhoneOperation }): Promise<OperationProgress> {
    return this.unsupported(job.operation);
  }

  /** Verifies what the phone signed in a seal or unseal, in this vendor's signature format. */
  verifyOperationSignature(
    operation: Extract<PhoneOperation, 'seal' | 'unseal'>,
    _signature: string,
    _signedBytes: Buffer,
    _certificate?: string,
  ): Promise<VerifiedSignature> {
    return this.unsupported(operation);
  }

  /** The seal images offered to the certificate that scanned the seal job `jobId`. */
  sealOptions(_jobId: string): Promise<SealOption[]> {
    return this.unsupported('seal');
  }

  /** Hands the document hash to the phone for the second round of a seal. */
  storeSealHash(_jobId: string, _documentHash: string): Promise<void> {
    return this.unsupported('seal');
  }

  /** The user and seals of a certificate serial, answered at once. */
  sealData(_certificateSerial: string): Promise<SealData> {
    return this.unsupported('sealData');
  }

  protected unsupported(capability: Capability): Promise<never> {
    return Promise.reject(new CapabilityUnsupportedError(this.name, capability));
  }

  /**
   * Who the nurse of a finished login is, as enrollment compares it: stable across her logins (and, where the vendor
   * renews certificates, across renewals), different for any two people.
   */
  abstract identityOf(login: { userId: string; certificate: CertificateInfo }): string;
}
