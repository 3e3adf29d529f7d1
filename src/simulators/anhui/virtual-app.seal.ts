import { ANHUI_INVOKE_OK, ANHUI_STATUS } from '../../ca/vendors/anhui/anhui.wire';
import type { AnhuiSimTimers } from './anhui-sim.timers';
import { OperationContext, SIM_SIGNATURE_COMPANY_CODE, sealExtMessage } from './virtual-app.operations';

const WATCH_INTERVAL_MS = 50;

/**
 * Seal round two: wait for the relying party to store the document hash (status 4), sign it and store the
 * signature. Runs in the background; its only way to report a failure is the job itself (status 3).
 */
export async function signSealHash(ctx: OperationContext, timers: AnhuiSimTimers, waitMs: number): Promise<void> {
  const { session, user, signer, options } = ctx;
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    if (!(await timers.sleep(WATCH_INTERVAL_MS))) return;
    const result = session.getResult();
    if (result.invokeCode !== ANHUI_INVOKE_OK || Number(result.status) === ANHUI_STATUS.CANCELLED) return;
    if (Number(result.status) !== ANHUI_STATUS.SEAL_HASH_STORED) continue;
    if (!result.value) {
      session.save({ status: ANHUI_STATUS.CANCELLED, value: null, extMessage: '未收到文件hash' });
      return;
    }
    try {
      const { signStr, pubCert } = await signer.sign(user, result.value, options);
      session.save({
        status: ANHUI_STATUS.CONFIRMED,
        value: JSON.stringify({ signStr, signatureCompanyCode: SIM_SIGNATURE_COMPANY_CODE, pubCert }),
        extMessage: sealExtMessage(user),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'unknown error';
      session.save({ status: ANHUI_STATUS.CANCELLED, value: null, extMessage: `签名失败: ${reason}` });
    }
    return;
  }
}
