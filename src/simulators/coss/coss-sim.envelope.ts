import { BadParametersData, COSS_STATUS, CossEnvelopeWire } from '../../ca/vendors/coss/coss.wire';

export const COSS_SIM_MESSAGES = {
  SUCCESS: 'SUCCESS',
  REQUEST_SIGNATURE_INVALID: '请求签名验证失败',
  JOB_EXPIRED: '签名任务已过期',
  USER_INACTIVE: '用户不存在或未激活',
  AUTHORIZATION_ENDED: '自动签授权已结束',
  AUTHORIZATION_EXPIRED: '自动签授权已过期',
  BAD_PARAMETERS: '请求参数错误',
} as const;

export function cossSuccess<T>(data: T): CossEnvelopeWire<T> {
  return { status: COSS_STATUS.SUCCESS, message: COSS_SIM_MESSAGES.SUCCESS, data };
}

export function cossFailure(status: number, message: string): CossEnvelopeWire<never> {
  return { status, message, data: null };
}

export function cossBadParameters(errMsg: string): CossEnvelopeWire<BadParametersData> {
  return {
    status: COSS_STATUS.BAD_PARAMETERS,
    message: COSS_SIM_MESSAGES.BAD_PARAMETERS,
    data: { errCode: String(COSS_STATUS.BAD_PARAMETERS), errMsg },
  };
}
