import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { firstValueFrom } from 'rxjs';
import { VendorBadResponseError } from '../../../common/errors';
import { callVendor, parseJsonBody } from '../../../common/http/vendor-http';
import { cossConfig } from './coss.config';
import { COSS_ENDPOINT, CossEndpoint } from './coss-endpoint';
import { COSS_VENDOR, unwrapCossEnvelope } from './coss.mapping';
import { signCossRequest } from './coss-request-signature';
import {
  AutoSignData,
  AutoSignRequest,
  COSS_PATH_PREFIX,
  CossOperation,
  GetSignResultData,
  QueryImageData,
  StartAutoSignData,
  StartAutoSignRequest,
} from './coss.wire';

const READS = new Set<CossOperation>(['getSignResult', 'queryImage']);

/** HTTP client of the COSS v1 API: signs requests when a secret is set, retries reads only, returns wire data. */
@Injectable()
export class CossClient {
  private readonly logger = new Logger(CossClient.name);

  constructor(
    private readonly http: HttpService,
    @Inject(cossConfig.KEY) private readonly config: ConfigType<typeof cossConfig>,
    @Inject(COSS_ENDPOINT) private readonly endpoint: CossEndpoint,
  ) {}

  /** The appId autoSign is sent with (the seed fixes it; configurable as COSS_APP_ID). */
  get appId(): string {
    return this.config.appId;
  }

  startAutoSign(request: StartAutoSignRequest): Promise<StartAutoSignData> {
    return this.call('startAutoSign', request);
  }

  getSignResult(signDataId: string): Promise<GetSignResultData> {
    return this.call('getSignResult', { signDataId });
  }

  queryImage(userId: string): Promise<QueryImageData> {
    return this.call('queryImage', { userId });
  }

  autoSign(request: Omit<AutoSignRequest, 'appId'>): Promise<AutoSignData> {
    return this.call('autoSign', { ...request, appId: this.config.appId });
  }

  endAutoSign(userId: string): Promise<object> {
    return this.call('endAutoSign', { userId });
  }

  private async call<T>(operation: CossOperation, body: object): Promise<T> {
    return callVendor(() => this.once<T>(operation, body), {
      context: { vendor: COSS_VENDOR, operation },
      timeoutMs: this.config.timeoutMs,
      retries: READS.has(operation) ? this.config.readRetries : 0,
      logger: this.logger,
    });
  }

  private async once<T>(operation: CossOperation, body: object): Promise<T> {
    const payload = this.config.appSecret ? signCossRequest(body, this.config.appId, this.config.appSecret) : body;
    const response = await firstValueFrom(
      this.http.post<unknown>(`${this.endpoint.baseUrl}${COSS_PATH_PREFIX}/${operation}`, payload, {
        timeout: this.config.timeoutMs,
        responseType: 'text',
        transformResponse: (raw: unknown) => raw,
      }),
    );
    const context = { vendor: COSS_VENDOR, operation };
    if (response.status !== 200) {
      throw new VendorBadResponseError(`COSS ${operation} answered HTTP ${response.status}`, {
        ...context,
        vendorCode: response.status,
      });
    }
    return unwrapCossEnvelope<T>(operation, parseJsonBody(response.data, context));
  }
}
