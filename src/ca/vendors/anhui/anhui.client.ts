import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { firstValueFrom } from 'rxjs';
import {
  VendorBadResponseError,
  VendorCertificateNotFoundError,
  VendorRefusedError,
  VendorUnauthorizedError,
} from '../../../common/errors';
import { callVendor, parseJsonBody } from '../../../common/http/vendor-http';
import { anhuiConfig } from './anhui.config';
import { ANHUI_ENDPOINT, AnhuiEndpoint } from './anhui-endpoint';
import {
  ANHUI_INVOKE_OK,
  ANHUI_INVOKE_UNAUTHORIZED,
  AnhuiInvokeResult,
  AnhuiStatus,
  GetCaMessageResultResponse,
  GetSealImgResponse,
  GetSealResponse,
  GrantTokenResponse,
  InitMessageRequest,
  InitMessageResponse,
  SealImageInfo,
} from './anhui.wire';

export const ANHUI_VENDOR = 'anhui';
const READS = new Set(['/getCaMessageResult', '/getSealImg', '/api/getSeal']);
/** /api/getSeal's "证书未找到" (the seed lists no codes; the message is matched too, for a service that words it so). */
const CERTIFICATE_NOT_FOUND_CODE = '1001';

/** Form-encoded client of the scan service: caches the token, renews it before it ends and once on a 401. */
@Injectable()
export class AnhuiClient {
  private readonly logger = new Logger(AnhuiClient.name);
  private token?: { value: string; renewAt: number };
  private granting?: Promise<string>;

  constructor(
    private readonly http: HttpService,
    @Inject(anhuiConfig.KEY) private readonly config: ConfigType<typeof anhuiConfig>,
    @Inject(ANHUI_ENDPOINT) private readonly endpoint: AnhuiEndpoint,
  ) {}

  /** The QR content of every operation (二维码规则). */
  qrContent(guid: string): string {
    return JSON.stringify({ guid, url: this.endpoint.baseUrl, city: this.config.city });
  }

  async initMessage(request: Omit<InitMessageRequest, 'token'>): Promise<string> {
    const answer = await this.withToken<InitMessageResponse>('/initMessage', { ...request });
    if (!answer.guid) throw this.badResponse('/initMessage', 'no guid');
    return answer.guid;
  }

  getCaMessageResult(guid: string): Promise<GetCaMessageResultResponse> {
    return this.withToken('/getCaMessageResult', { guid });
  }

  async saveCaMessageResult(guid: string, value: string, status: AnhuiStatus, extMessage?: string): Promise<void> {
    await this.withToken('/saveCaMessageResult', {
      guid,
      value,
      status,
      ...(extMessage !== undefined && { extMessage }),
    });
  }

  async getSealImg(guid: string): Promise<SealImageInfo[]> {
    const answer = await this.withToken<GetSealImgResponse>('/getSealImg', { guid });
    if (!Array.isArray(answer.signInfos)) throw this.badResponse('/getSealImg', 'no signInfos');
    return answer.signInfos;
  }

  /** 获取印章数据: by certificate serial, with the account (not the token), answering `code` "0" on success. */
  async getSeal(caSerialId: string): Promise<GetSealResponse> {
    const answer = await this.call<GetSealResponse>('/api/getSeal', {
      caSerialId,
      accountName: this.config.accountName,
      password: this.config.password,
    });
    if (String(answer.code) !== '0') {
      const notFound =
        String(answer.code) === CERTIFICATE_NOT_FOUND_CODE || /未找到|不存在|not found/i.test(answer.message ?? '');
      const Refusal = notFound ? VendorCertificateNotFoundError : VendorRefusedError;
      throw new Refusal(`Anhui /api/getSeal refused (${answer.code} ${answer.message ?? ''})`, {
        vendor: ANHUI_VENDOR,
        operation: '/api/getSeal',
        vendorCode: answer.code,
        vendorMessage: answer.message,
      });
    }
    return answer;
  }

  private async withToken<T extends AnhuiInvokeResult>(path: string, fields: Record<string, unknown>): Promise<T> {
    try {
      return await this.invoke<T>(path, { ...fields, token: await this.currentToken() });
    } catch (error) {
      if (!(error instanceof VendorUnauthorizedError)) throw error;
      this.token = undefined;
      this.logger.warn({ operation: path }, 'Anhui token refused; renewing once');
      return this.invoke<T>(path, { ...fields, token: await this.currentToken() });
    }
  }

  private async currentToken(): Promise<string> {
    if (this.token && Date.now() < this.token.renewAt) return this.token.value;
    this.granting ??= this.grantToken().finally(() => (this.granting = undefined));
    return this.granting;
  }

  private async grantToken(): Promise<string> {
    const answer = await this.invoke<GrantTokenResponse>('/grantToken', {
      accountName: this.config.accountName,
      password: this.config.password,
    });
    if (!answer.token) throw this.badResponse('/grantToken', 'no token');
    this.token = { value: answer.token, renewAt: Date.now() + this.config.tokenTtlSeconds * 900 };
    return answer.token;
  }

  private async invoke<T extends AnhuiInvokeResult>(path: string, fields: Record<string, unknown>): Promise<T> {
    const answer = await this.call<T>(path, fields);
    const code = Number(answer.invokeCode);
    if (code === ANHUI_INVOKE_OK) return answer;
    const context = {
      vendor: ANHUI_VENDOR,
      operation: path,
      vendorCode: answer.invokeCode,
      vendorMessage: answer.failMessage ?? undefined,
    };
    const message = `Anhui ${path} refused (${answer.invokeCode}${answer.failMessage ? ` ${answer.failMessage}` : ''})`;
    if (code === ANHUI_INVOKE_UNAUTHORIZED) throw new VendorUnauthorizedError(message, context);
    throw new VendorRefusedError(message, context);
  }

  private async call<T>(path: string, fields: Record<string, unknown>): Promise<T> {
    return callVendor(() => this.once<T>(path, fields), {
      context: { vendor: ANHUI_VENDOR, operation: path },
      timeoutMs: this.config.timeoutMs,
      retries: READS.has(path) ? 1 : 0,
      logger: this.logger,
    });
  }

  private async once<T>(path: string, fields: Record<string, unknown>): Promise<T> {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(fields))
      if (value !== undefined && value !== null) form.set(key, String(value));
    const response = await firstValueFrom(
      this.http.post<unknown>(`${this.endpoint.baseUrl}${path}`, form.toString(), {
        timeout: this.config.timeoutMs,
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
        responseType: 'text',
        transformResponse: (raw: unknown) => raw,
      }),
    );
    const body = parseJsonBody(response.data, { vendor: ANHUI_VENDOR, operation: path });
    if (!body || typeof body !== 'object') throw this.badResponse(path, 'not a JSON object');
    return body as T;
  }

  private badResponse(operation: string, why: string): VendorBadResponseError {
    return new VendorBadResponseError(`Anhui ${operation}: ${why}`, { vendor: ANHUI_VENDOR, operation });
  }
}
