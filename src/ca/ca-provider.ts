import type { CertificateInfo } from '../crypto';
import type { LoginProgress, ProviderName, QrJob, SealImage, SignOutcome, SignProgress, SignRequest } from './ca.types';

/**
 * The vendor-neutral CA contract, and the injection token of the default provider. Implementations verify every
 * signature they hand back; callers never see vendor JSON.
 */
export abstract class CaProvider {
  abstract readonly name: ProviderName;

  /** The vendor is asked about one job at most this often, however many PCs or instances ask. */
  abstract readonly pollIntervalMs: number;

  /** The roots this vendor's certificates must chain to; empty when none are configured. */
  abstract readonly trustedRoots: CertificateInfo[];

  /** Starts a QR login that, once scanned, also authorizes signing for `validitySeconds` where the vendor has that. */
  /** `userId`, where the vendor supports it, limits the QR code to one known user. */
  abstract startLogin(request: { validitySeconds: number; title: string; userId?: string }): Promise<QrJob>;

  abstract pollLogin(job: Pick<QrJob, 'jobId' | 'challenge'>): Promise<LoginProgress>;

  abstract fetchSealImage(userId: string, certificateSerial?: string): Promise<SealImage | undefined>;

  /** Signs `data` exactly: automatically, or by returning a QR job the nurse must scan. */
  abstract sign(request: SignRequest): Promise<SignOutcome>;

  /** Follows a signing QR job started by `sign`. */
  abstract pollSign(job: { jobId: string; data: Buffer }): Promise<SignProgress>;

  abstract endAuthorization(userId: string): Promise<void>;
}
