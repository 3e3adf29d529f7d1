/** The Anhui mobile scan service (手机扫码服务) wire format: form-encoded requests, JSON answers (seed 004). */

export const ANHUI_INVOKE_OK = 1;
export const ANHUI_INVOKE_UNAUTHORIZED = 401;

/** 操作类型 */
export const ANHUI_TYPE = { SIGN: 1, ENCRYPT: 2, DECRYPT: 3, LOGIN: 4, SEAL: 5, UNSEAL: 6 } as const;
export type AnhuiType = (typeof ANHUI_TYPE)[keyof typeof ANHUI_TYPE];

/** 操作状态 */
export const ANHUI_STATUS = {
  PENDING: 0,
  SCANNED: 1,
  CONFIRMED: 2,
  CANCELLED: 3,
  SEAL_HASH_STORED: 4,
  SEAL_CERT_READ: 5,
} as const;
export type AnhuiStatus = (typeof ANHUI_STATUS)[keyof typeof ANHUI_STATUS];

/** CA 类型: 0 or empty any certificate, 1 organisation, 2 personal. */
export type AnhuiCertType = 0 | 1 | 2;

export interface AnhuiInvokeResult {
  invokeCode: number | string;
  failMessage?: string | null;
}

export interface GrantTokenRequest {
  accountName: string;
  password: string;
  guid?: string;
}

export interface GrantTokenResponse extends AnhuiInvokeResult {
  token?: string;
}

export interface InitMessageRequest {
  type: AnhuiType;
  message: string;
  title: string;
  certType: AnhuiCertType;
  token: string;
  extMessage?: string;
}

export interface InitMessageResponse extends AnhuiInvokeResult {
  guid?: string;
}

export interface GuidRequest {
  guid: string;
  token: string;
}

export interface GetInitMessageResponse extends AnhuiInvokeResult {
  message?: string;
  title?: string;
  certType?: AnhuiCertType | string;
  type?: AnhuiType | string;
  extMessage?: string | null;
}

export interface GetCaMessageResultResponse extends AnhuiInvokeResult {
  status?: AnhuiStatus | string;
  value?: string | null;
  extMessage?: string | null;
}

export interface SaveCaMessageResultRequest {
  guid: string;
  value: string;
  status: AnhuiStatus;
  extMessage?: string;
  token: string;
}

export interface SealImageInfo {
  signName: string;
  signWidth: string;
  signHeight: string;
  img: string;
  description?: string;
}

export interface GetSealImgResponse extends AnhuiInvokeResult {
  signInfos?: SealImageInfo[];
}

export interface GetSealRequest {
  caSerialId: string;
  accountName: string;
  password: string;
}

export interface SealUserInfo {
  userId: string;
  APPLYDate?: string;
  overDate?: string;
  userName?: string;
  phone?: string;
}

export interface SealDataInfo {
  signName: string;
  signWidth?: string;
  signHeight?: string;
  signExt?: string;
  signData: string;
  description?: string;
  APPLYDate?: string;
  overDate?: string;
  signType?: string;
}

export interface GetSealResponse {
  code: string;
  message?: string;
  userInfo?: SealUserInfo;
  signInfos?: SealDataInfo[];
}

/** The QR content of every operation (二维码规则). */
export interface AnhuiQrContent {
  guid: string;
  url: string;
  city: string;
}

/** `value` of a login (and of the second seal round): the PKCS#7 attached signature and the signer's certificate. */
export interface AnhuiSignedValue {
  signStr: string;
  pubCert: string;
  signatureCompanyCode?: string;
}
