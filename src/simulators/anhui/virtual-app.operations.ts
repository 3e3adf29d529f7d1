import { ANHUI_STATUS, ANHUI_TYPE, AnhuiType } from '../../ca/vendors/anhui/anhui.wire';
import { rsaDecrypt, sm2Decrypt } from '../../crypto';
import { AnhuiSimError } from './anhui-sim.errors';
import type { AnhuiSimUser } from './anhui-sim.users';
import type { AppSession } from './virtual-app.session';
import type { AppSignOptions, AppSigner, VirtualAppTamper } from './virtual-app.signer';

export const SIM_SIGNATURE_COMPANY_CODE = 'SIM-SEAL-CO';

export interface OperationContext {
  session: AppSession;
  user: AnhuiSimUser;
  signer: AppSigner;
  options: AppSignOptions;
}

const SIGNING_TYPES: ReadonlySet<AnhuiType> = new Set([
  ANHUI_TYPE.SIGN,
  ANHUI_TYPE.LOGIN,
  ANHUI_TYPE.SEAL,
  ANHUI_TYPE.UNSEAL,
]);

export function checkTamperFits(type: AnhuiType, tamper: VirtualAppTamper | undefined): void {
  if (tamper === undefined || SIGNING_TYPES.has(type)) return;
  if (type === ANHUI_TYPE.ENCRYPT && tamper === 'wrong-cert') return;
  throw new AnhuiSimError(400, `tamper '${tamper}' does not apply to operation type ${type}`);
}

/** What the app stores once the user confirms (the first round only, for a seal). */
export async function confirmOperation(type: AnhuiType, message: string, ctx: OperationContext): Promise<void> {
  const { session, user, signer, options } = ctx;
  switch (type) {
    case ANHUI_TYPE.LOGIN: {
      const { signStr, pubCert } = await signer.sign(user, message, options);
      session.save({ status: ANHUI_STATUS.CONFIRMED, value: JSON.stringify({ signStr, pubCert }) });
      return;
    }
    case ANHUI_TYPE.SIGN:
    case ANHUI_TYPE.UNSEAL: {
      const { signStr } = await signer.sign(user, message, options);
      session.save({ status: ANHUI_STATUS.CONFIRMED, value: signStr });
      return;
    }
    case ANHUI_TYPE.ENCRYPT:
      session.save({ status: ANHUI_STATUS.CONFIRMED, value: await signer.certificate(user, options.tamper) });
      return;
    case ANHUI_TYPE.DECRYPT:
      session.save(decrypted(user, message));
      return;
    case ANHUI_TYPE.SEAL:
      session.save({
        status: ANHUI_STATUS.CONFIRMED,
        value: JSON.stringify({ signatureCompanyCode: SIM_SIGNATURE_COMPANY_CODE }),
        extMessage: sealExtMessage(user),
      });
      return;
  }
}

export function sealExtMessage(user: AnhuiSimUser): string {
  return JSON.stringify({ caSerialId: user.cert.serialNumber });
}

function decrypted(user: AnhuiSimUser, message: string): { status: 2 | 3; value: string | null; extMessage?: string } {
  try {
    const ciphertext = Buffer.from(message, 'base64');
    const { privateKey, privateKeyHex } = user.identity;
    const plain =
      typeof privateKey === 'string'
        ? sm2Decrypt(ciphertext, privateKeyHex ?? privateKey)
        : rsaDecrypt(ciphertext, privateKey);
    return { status: ANHUI_STATUS.CONFIRMED, value: plain.toString('utf8') };
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unknown error';
    return { status: ANHUI_STATUS.CANCELLED, value: null, extMessage: `解密失败: ${reason}` };
  }
}
