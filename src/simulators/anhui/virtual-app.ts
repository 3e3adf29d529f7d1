import {
  ANHUI_INVOKE_OK,
  ANHUI_STATUS,
  ANHUI_TYPE,
  AnhuiQrContent,
  AnhuiType,
} from '../../ca/vendors/anhui/anhui.wire';
import { AnhuiSimError } from './anhui-sim.errors';
import type { AnhuiSimSettings } from './anhui-sim.options';
import { ANHUI_SIM_FAIL, AnhuiScanService } from './anhui-sim.service';
import type { AnhuiSimTimers } from './anhui-sim.timers';
import type { AnhuiSimUsers } from './anhui-sim.users';
import { checkTamperFits, confirmOperation, OperationContext } from './virtual-app.operations';
import { signSealHash } from './virtual-app.seal';
import { AppSession } from './virtual-app.session';
import { AppSigner, VIRTUAL_APP_TAMPERS, VirtualAppOidFamily, VirtualAppTamper } from './virtual-app.signer';

export type { VirtualAppOidFamily, VirtualAppTamper } from './virtual-app.signer';

/** 'scan-only' stops at status 1 (scanned, never confirmed); a later scan of the same QR may finish it. */
export type VirtualAppAction = 'confirm' | 'cancel' | 'scan-only';

export interface VirtualAppScanRequest {
  /** The QR content: the JSON text {guid, url, city}, or that object. */
  qr: string | AnhuiQrContent;
  /** A user code, e.g. 'sm2-nurse'. */
  user: string;
  action?: VirtualAppAction;
  tamper?: VirtualAppTamper;
  oidFamily?: VirtualAppOidFamily;
}

export interface VirtualAppScanResult {
  ok: true;
  guid: string;
  type: AnhuiType;
}

const ACTIONS: readonly VirtualAppAction[] = ['confirm', 'cancel', 'scan-only'];
const OID_FAMILIES: readonly VirtualAppOidFamily[] = ['pkcs7', 'gmt0010'];

/** The CA vendor's phone app: scans a QR and does what the user would, with the user's real key. */
export class VirtualApp {
  private readonly signer: AppSigner;
  private readonly background = new Map<string, Promise<void>>();

  constructor(
    private readonly service: AnhuiScanService,
    private readonly users: AnhuiSimUsers,
    private readonly settings: AnhuiSimSettings,
    private readonly timers: AnhuiSimTimers,
  ) {
    this.signer = new AppSigner(users);
  }

  /** Resolves after round one for a seal; `settled(guid)` waits for round two. */
  async scan(request: VirtualAppScanRequest): Promise<VirtualAppScanResult> {
    checkRequest(request);
    const qr = parseQr(request.qr);
    const user = this.users.get(request.user);
    if (!user) throw new AnhuiSimError(404, `unknown user ${String(request.user)}`);
    const session = new AppSession(this.service, this.settings, qr.guid);
    const init = session.getInitMessage();
    if (init.invokeCode !== ANHUI_INVOKE_OK) throw initFailure(init.failMessage ?? '');
    const type = Number(init.type) as AnhuiType;
    checkTamperFits(type, request.tamper);
    const status = Number(session.getResult().status);
    if (status !== ANHUI_STATUS.PENDING && status !== ANHUI_STATUS.SCANNED) {
      throw new AnhuiSimError(409, `operation already handled (status ${status})`);
    }
    session.save({ status: ANHUI_STATUS.SCANNED });
    const action = request.action ?? 'confirm';
    if (action === 'cancel') session.save({ status: ANHUI_STATUS.CANCELLED, extMessage: '用户取消操作' });
    if (action !== 'confirm') return { ok: true, guid: qr.guid, type };

    const ctx: OperationContext = {
      session,
      user,
      signer: this.signer,
      options: { tamper: request.tamper, oidFamily: request.oidFamily },
    };
    await confirmOperation(type, init.message ?? '', ctx);
    if (type === ANHUI_TYPE.SEAL) this.track(qr.guid, signSealHash(ctx, this.timers, this.settings.jobTtlMs));
    return { ok: true, guid: qr.guid, type };
  }

  /** Resolves when the background work for a job (a seal's second round) is over. */
  settled(guid: string): Promise<void> {
    return this.background.get(guid) ?? Promise.resolve();
  }

  private track(guid: string, work: Promise<void>): void {
    // A job that vanished or a stopped simulator leaves nobody to tell; the job's status is the report.
    const done = work
      .catch(() => undefined)
      .finally(() => {
        if (this.background.get(guid) === done) this.background.delete(guid);
      });
    this.background.set(guid, done);
  }
}

function checkRequest(request: VirtualAppScanRequest): void {
  if (!request || typeof request !== 'object') throw new AnhuiSimError(400, 'scan request must be an object');
  if (typeof request.user !== 'string' || !request.user) throw new AnhuiSimError(400, 'user is required');
  if (request.action !== undefined && !ACTIONS.includes(request.action)) {
    throw new AnhuiSimError(400, `action must be one of ${ACTIONS.join(', ')}`);
  }
  if (request.tamper !== undefined && !VIRTUAL_APP_TAMPERS.includes(request.tamper)) {
    throw new AnhuiSimError(400, `tamper must be one of ${VIRTUAL_APP_TAMPERS.join(', ')}`);
  }
  if (request.oidFamily !== undefined && !OID_FAMILIES.includes(request.oidFamily)) {
    throw new AnhuiSimError(400, `oidFamily must be one of ${OID_FAMILIES.join(', ')}`);
  }
}

export function parseQr(qr: unknown): AnhuiQrContent {
  let content: unknown = qr;
  if (typeof qr === 'string') {
    try {
      content = JSON.parse(qr);
    } catch {
      throw new AnhuiSimError(400, 'QR content is not JSON');
    }
  }
  if (!content || typeof content !== 'object') throw new AnhuiSimError(400, 'QR content must be a JSON object');
  const { guid, url, city } = content as Record<string, unknown>;
  for (const [name, value] of Object.entries({ guid, url, city })) {
    if (typeof value !== 'string' || !value) throw new AnhuiSimError(400, `QR content lacks ${name}`);
  }
  return { guid: guid as string, url: url as string, city: city as string };
}

function initFailure(failMessage: string): AnhuiSimError {
  if (failMessage === ANHUI_SIM_FAIL.NO_JOB) return new AnhuiSimError(404, failMessage);
  if (failMessage === ANHUI_SIM_FAIL.EXPIRED) return new AnhuiSimError(410, failMessage);
  return new AnhuiSimError(409, failMessage);
}
