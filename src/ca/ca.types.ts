import type { CertificateInfo } from '../crypto';
import type { ProviderName } from '../config';

export type { ProviderName };

/** How a vendor returns a signature: a bare DER SM2 (r,s) pair (COSS) or PKCS#7 SignedData with the content (Anhui). */
export type SignatureFormat = 'SM2_DER' | 'PKCS7_ATTACHED';

/** A signature the gateway has verified itself over known bytes, with the certificate that made it. */
export interface VerifiedSignature {
  format: SignatureFormat;
  /** Base64, exactly as the vendor returned it. */
  signature: string;
  certificate: CertificateInfo;
  /** The certificate's issuers up to the trusted root it chained to at signing (kept by the record). */
  chain?: CertificateInfo[];
}

/** An interactive job the nurse completes on her phone by scanning `qrContent`. */
export interface QrJob {
  jobId: string;
  qrContent: string;
  expiresAt: Date;
  /** Base64 of the bytes the phone signs, when known; kept with the job so any gateway instance can verify. */
  challenge?: string;
}

export type JobState = 'PENDING' | 'FINISHED' | 'REJECTED' | 'EXPIRED';

export interface LoginProgress {
  state: JobState;
  /** The vendor's identifier of the nurse (COSS msspId); what the PC later sends as accessToken. */
  userId?: string;
  signature?: VerifiedSignature;
  /** The signature the vendor returned, also when it carried no content to verify against. */
  certificate?: CertificateInfo;
}

export interface SignRequest {
  userId: string;
  data: Buffer;
  title: string;
  /** The certificate the nurse logged in with; used when the vendor does not return one. */
  certificate: CertificateInfo;
}

export type SignOutcome =
  | { kind: 'SIGNED'; signature: VerifiedSignature; vendorJobId?: string; appId?: string }
  | { kind: 'PENDING_SCAN'; job: QrJob };

export interface SignProgress {
  state: JobState;
  signature?: VerifiedSignature;
}

export interface SealImage {
  /** Base64 PNG. */
  image: string;
  name?: string;
}

/** What a vendor can do; each provider declares its own, and anything else is refused with 422. */
export type Capability =
  'qrLogin' | 'autoSign' | 'interactiveSign' | 'encrypt' | 'decrypt' | 'seal' | 'unseal' | 'sealData';

/** The operations a nurse confirms on her phone, each a QR job. */
export type PhoneOperation = Extract<Capability, 'encrypt' | 'decrypt' | 'seal' | 'unseal'>;

export interface OperationProgress {
  state: JobState;
  /** What the phone answered, once FINISHED. */
  value?: string;
  /** Why, once REJECTED, in the app's own words where it gave any. */
  reason?: string;
}

/** A seal image the vendor offers for a certificate. */
export interface SealOption {
  name: string;
  /** Base64 image. */
  image: string;
}

/** The user and seals of a certificate serial, in the gateway's own spelling. */
export interface SealData {
  userInfo: { userId: string; userName?: string; phone?: string; applyDate?: string; overDate?: string } | null;
  seals: {
    name: string;
    width?: string;
    height?: string;
    ext?: string;
    image: string;
    description?: string;
    applyDate?: string;
    overDate?: string;
    type?: string;
  }[];
}
