/**
 * The gateway speaks two dialects of one envelope: the COSS one (`status`) on the COSS-compatible login routes, so a
 * front-end written against the vendor can be pointed at the gateway, and the MNIS one (`code`) everywhere else.
 */
export type EnvelopeDialect = 'coss' | 'mnis';

export interface MnisEnvelope<T> {
  code: number;
  message: string;
  data: T;
}

export interface CossEnvelope<T> {
  status: number;
  message: string;
  data: T;
}

export function ok<T>(data: T): MnisEnvelope<T> {
  return { code: 200, message: 'OK', data };
}

export function cossOk<T>(data: T): CossEnvelope<T> {
  return { status: 200, message: 'SUCCESS', data };
}

export function dialectOf(url: string | undefined): EnvelopeDialect {
  return url?.startsWith('/coss/') ? 'coss' : 'mnis';
}

export interface ErrorBody {
  type: string;
  [detail: string]: unknown;
}

export function errorEnvelope(
  dialect: EnvelopeDialect,
  httpStatus: number,
  message: string,
  error: ErrorBody,
  requestId?: string,
) {
  const head = dialect === 'coss' ? { status: httpStatus } : { code: httpStatus };
  return { ...head, message, data: null, error, requestId };
}
