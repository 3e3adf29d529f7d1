import {
  ANHUI_INVOKE_OK,
  ANHUI_INVOKE_UNAUTHORIZED,
  AnhuiCertType,
  AnhuiInvokeResult,
  AnhuiStatus,
  AnhuiType,
  GetCaMessageResultResponse,
  GetInitMessageResponse,
  GetSealImgResponse,
  GetSealResponse,
  GrantTokenResponse,
  InitMessageResponse,
} from '../../ca/vendors/anhui/anhui.wire';
import type { AnhuiSimSettings } from './anhui-sim.options';
import { AnhuiSimJob, AnhuiSimJobs } from './anhui-sim.state';
import { AnhuiSimTokens } from './anhui-sim.tokens';
import { AnhuiSimUsers } from './anhui-sim.users';

/** Request fields as they arrive from a form, a query string or JSON, each reduced to a string. */
export type AnhuiSimFields = Readonly<Record<string, string | undefined>>;

/** failMessages other code (the virtual app, specs) tells apart. */
export const ANHUI_SIM_FAIL = {
  EXPIRED: '二维码已过期',
  NO_JOB: '操作不存在',
  TOKEN: 'token已失效',
  ACCOUNT: '账号或密码错误',
} as const;

const fail = (failMessage: string, invokeCode = 0): AnhuiInvokeResult => ({ invokeCode, failMessage });

/** The scan service (手机扫码服务) itself, free of HTTP so that the virtual app calls the same logic. */
export class AnhuiScanService {
  constructor(
    private readonly settings: AnhuiSimSettings,
    private readonly tokens: AnhuiSimTokens,
    private readonly jobs: AnhuiSimJobs,
    private readonly users: AnhuiSimUsers,
  ) {}

  grantToken(f: AnhuiSimFields): GrantTokenResponse {
    if (!this.isAccount(f)) return fail(ANHUI_SIM_FAIL.ACCOUNT);
    return { token: this.tokens.grant(), invokeCode: ANHUI_INVOKE_OK };
  }

  initMessage(f: AnhuiSimFields): InitMessageResponse {
    const denied = this.checkToken(f);
    if (denied) return denied;
    const type = integerIn(f.type, 1, 6);
    if (type === undefined) return fail('操作类型不正确');
    if (!f.message) return fail('需处理的信息不能为空');
    const certType = f.certType === undefined || f.certType === '' ? 0 : integerIn(f.certType, 0, 2);
    if (certType === undefined) return fail('证书类型不正确');
    const job = this.jobs.create({
      type: type as AnhuiType,
      message: f.message,
      title: f.title ?? '',
      certType: certType as AnhuiCertType,
      initExtMessage: f.extMessage ?? null,
    });
    return { guid: job.guid, invokeCode: ANHUI_INVOKE_OK };
  }

  getInitMessage(f: AnhuiSimFields): GetInitMessageResponse {
    const found = this.openJob(f);
    if ('invokeCode' in found) return found;
    const { job } = found;
    return {
      message: job.message,
      title: job.title,
      invokeCode: ANHUI_INVOKE_OK,
      certType: job.certType,
      type: String(job.type),
      extMessage: job.initExtMessage,
    };
  }

  getCaMessageResult(f: AnhuiSimFields): GetCaMessageResultResponse {
    const found = this.openJob(f);
    if ('invokeCode' in found) return found;
    const { job } = found;
    return { status: job.status, value: job.value, invokeCode: ANHUI_INVOKE_OK, extMessage: job.resultExtMessage };
  }

  saveCaMessageResult(f: AnhuiSimFields): AnhuiInvokeResult {
    const found = this.openJob(f);
    if ('invokeCode' in found) return found;
    const status = integerIn(f.status, 0, 5);
    if (status === undefined) return fail('状态不正确');
    this.jobs.save(found.job, { status: status as AnhuiStatus, value: f.value ?? null, extMessage: f.extMessage });
    return { invokeCode: ANHUI_INVOKE_OK };
  }

  getSealImg(f: AnhuiSimFields): GetSealImgResponse {
    const found = this.openJob(f);
    if ('invokeCode' in found) return found;
    const serial = found.job.signerSerial;
    const user = serial === undefined ? undefined : this.users.bySerial(serial);
    if (!user) return fail('尚未获取到签章证书信息');
    return {
      invokeCode: ANHUI_INVOKE_OK,
      signInfos: user.seals.map(({ signName, signWidth, signHeight, img, description }) => ({
        signName,
        signWidth,
        signHeight,
        img,
        description,
      })),
    };
  }

  /** The seal service's /api/getSeal: its own envelope (code "0"), account checked on every call. */
  getSeal(f: AnhuiSimFields): GetSealResponse {
    if (!f.caSerialId || !f.accountName || !f.password) return { code: '1003', message: '参数不完整' };
    if (!this.isAccount(f)) return { code: '1002', message: '授权账号或密码错误' };
    const user = this.users.bySerial(f.caSerialId);
    if (!user) return { code: '1001', message: '证书未找到' };
    const applyDate = chinaTime(user.cert.notBefore);
    const overDate = chinaTime(user.cert.notAfter);
    return {
      code: '0',
      message: '成功',
      userInfo: { userId: user.code, APPLYDate: applyDate, overDate, userName: user.name, phone: user.phone },
      signInfos: user.seals.map((seal) => ({
        signName: seal.signName,
        signWidth: seal.signWidth,
        signHeight: seal.signHeight,
        signExt: 'png',
        signData: seal.img,
        description: seal.description,
        APPLYDate: applyDate,
        overDate,
        signType: seal.signType,
      })),
    };
  }

  private isAccount(f: AnhuiSimFields): boolean {
    return f.accountName === this.settings.accountName && f.password === this.settings.password;
  }

  private checkToken(f: AnhuiSimFields): AnhuiInvokeResult | undefined {
    return this.tokens.isValid(f.token) ? undefined : fail(ANHUI_SIM_FAIL.TOKEN, ANHUI_INVOKE_UNAUTHORIZED);
  }

  private openJob(f: AnhuiSimFields): { job: AnhuiSimJob } | AnhuiInvokeResult {
    const denied = this.checkToken(f);
    if (denied) return denied;
    const job = this.jobs.get(f.guid);
    if (!job) return fail(ANHUI_SIM_FAIL.NO_JOB);
    if (this.jobs.isExpired(job)) return fail(ANHUI_SIM_FAIL.EXPIRED);
    return { job };
  }
}

function integerIn(text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/** 'YYYY-MM-DD HH:mm:ss' in China Standard Time, how the seal service's dates read. */
function chinaTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
