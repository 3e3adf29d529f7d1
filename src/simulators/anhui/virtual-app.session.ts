import {
  ANHUI_INVOKE_OK,
  ANHUI_INVOKE_UNAUTHORIZED,
  AnhuiInvokeResult,
  AnhuiStatus,
  GetCaMessageResultResponse,
  GetInitMessageResponse,
} from '../../ca/vendors/anhui/anhui.wire';
import { AnhuiSimError } from './anhui-sim.errors';
import type { AnhuiSimSettings } from './anhui-sim.options';
import type { AnhuiScanService, AnhuiSimFields } from './anhui-sim.service';

export interface AppSave {
  status: AnhuiStatus;
  value?: string | null;
  extMessage?: string;
}

/**
 * The phone app's conversation with the scan service: its own token (granted with the same account), renewed once
 * when the service answers 401, as a real app would after the 30 minutes run out.
 */
export class AppSession {
  private token?: string;

  constructor(
    private readonly service: AnhuiScanService,
    private readonly settings: AnhuiSimSettings,
    readonly guid: string,
  ) {}

  getInitMessage(): GetInitMessageResponse {
    return this.call((f) => this.service.getInitMessage(f), {});
  }

  getResult(): GetCaMessageResultResponse {
    return this.call((f) => this.service.getCaMessageResult(f), {});
  }

  save({ status, value, extMessage }: AppSave): AnhuiInvokeResult {
    const fields = { status: String(status), value: value ?? undefined, extMessage };
    const answer = this.call((f) => this.service.saveCaMessageResult(f), fields);
    if (answer.invokeCode !== ANHUI_INVOKE_OK)
      throw new AnhuiSimError(409, `saving the result failed: ${answer.failMessage ?? ''}`);
    return answer;
  }

  private call<T extends AnhuiInvokeResult>(operation: (fields: AnhuiSimFields) => T, fields: AnhuiSimFields): T {
    const first = operation({ ...fields, guid: this.guid, token: this.currentToken() });
    if (first.invokeCode !== ANHUI_INVOKE_UNAUTHORIZED) return first;
    this.token = undefined;
    return operation({ ...fields, guid: this.guid, token: this.currentToken() });
  }

  private currentToken(): string {
    if (this.token) return this.token;
    const granted = this.service.grantToken({
      accountName: this.settings.accountName,
      password: this.settings.password,
      guid: this.guid,
    });
    if (granted.invokeCode !== ANHUI_INVOKE_OK || !granted.token) {
      throw new AnhuiSimError(502, `the app could not get a token: ${granted.failMessage ?? ''}`);
    }
    this.token = granted.token;
    return this.token;
  }
}
