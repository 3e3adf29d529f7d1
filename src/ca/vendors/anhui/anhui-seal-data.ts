import type { SealData } from '../../ca.types';
import type { GetSealResponse } from './anhui.wire';

/** The seal service's /api/getSeal answer in the gateway's own spelling (APPLYDate → applyDate, signData → image). */
export function toSealData(answer: GetSealResponse): SealData {
  const user = answer.userInfo;
  return {
    userInfo: user
      ? {
          userId: user.userId,
          userName: user.userName,
          phone: user.phone,
          applyDate: user.APPLYDate,
          overDate: user.overDate,
        }
      : null,
    seals: (answer.signInfos ?? []).map((seal) => ({
      name: seal.signName,
      width: seal.signWidth,
      height: seal.signHeight,
      ext: seal.signExt,
      image: seal.signData,
      description: seal.description,
      applyDate: seal.APPLYDate,
      overDate: seal.overDate,
      type: seal.signType,
    })),
  };
}
