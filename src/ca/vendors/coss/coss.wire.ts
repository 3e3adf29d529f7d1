/** The COSS v1 wire format (Beijing cloud-sign), as seen in public integrations; see shared notes ca-wire-facts. */

export const COSS_PATH_PREFIX = '/coss/service/v1';

export type CossOperation = 'startAutoSign' | 'getSignResult' | 'queryImage' | 'autoSign' | 'endAutoSign';

export interface CossEnvelopeWire<T> {
  status: number;
  message: string;
  data?: T | null;
  transId?: string;
}

export const COSS_STATUS = {
  SUCCESS: 200,
  REQUEST_SIGNATURE_INVALID: 89000005,
  JOB_EXPIRED: 89003008,
  USER_EXISTS: 89004002,
  USER_INACTIVE: 89004003,
  BAD_PARAMETERS: 10904001,
} as const;

/** Present on every request when the app has a secret: see coss-request-signature.ts. */
export interface CossAuthFields {
  version?: string;
  appId?: string;
  signAlgo?: string;
  signature?: string;
}

export interface StartAutoSignRequest extends CossAuthFields {
  userId?: string;
  timeRegion?: number;
}

export interface StartAutoSignData {
  signDataId: string;
  qrCode: string;
  /** Base64 of the bytes the phone signs at login, when the vendor discloses them. */
  data?: string;
}

export interface GetSignResultRequest extends CossAuthFields {
  signDataId: string;
}

/** UNSIGN and FINISH are seen on the wire; REJECT is what the simulator answers when the nurse refuses. */
export type CossJobStatus = 'UNSIGN' | 'FINISH' | 'REJECT' | string;

export interface GetSignResultData {
  signDataId: string;
  jobStatus: CossJobStatus;
  signResult?: string;
  signCert?: string;
  msspId?: string;
}

export interface QueryImageRequest extends CossAuthFields {
  userId: string;
}

export interface QueryImageData {
  userId?: string;
  image?: string;
  imgBase64?: string;
}

export interface AutoSignRequest extends CossAuthFields {
  userId: string;
  /** Base64 of the exact bytes to sign. */
  data: string;
  appId: string;
  title?: string;
  dataType?: 'DATA' | 'HASH';
  algo?: 'SM3withSM2';
}

export interface AutoSignData {
  signDataId: string;
  signResult: string;
  signCert?: string;
}

export interface EndAutoSignRequest extends CossAuthFields {
  userId: string;
}

export interface BadParametersData {
  errCode?: string;
  errMsg?: string;
}
