import { COSS_PATH_PREFIX, CossEnvelopeWire, CossOperation, StartAutoSignData } from '../../ca/vendors/coss/coss.wire';
import { parseCertificate, sm2Verify } from '../../crypto';
import { CossSimulator } from './coss-simulator';

/** Spec helpers: real HTTP to the simulator with Node's fetch. */
export async function cossPost<T = Record<string, unknown>>(
  sim: CossSimulator,
  operation: CossOperation,
  body: object,
  init: { signal?: AbortSignal } = {},
): Promise<CossEnvelopeWire<T>> {
  const response = await fetch(`${sim.url}${COSS_PATH_PREFIX}/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: init.signal,
  });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as CossEnvelopeWire<T>;
}

export async function simRequest<T = Record<string, unknown>>(
  sim: CossSimulator,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: object,
): Promise<{ status: number; json: T }> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, json: (await response.json()) as T };
}

export async function startLogin(sim: CossSimulator, body: object = {}): Promise<StartAutoSignData> {
  const answer = await cossPost<StartAutoSignData>(sim, 'startAutoSign', body);
  if (answer.status !== 200 || !answer.data) throw new Error(`startAutoSign failed: ${answer.status}`);
  return answer.data;
}

/** Logs a nurse in through the phone and answers the msspId. */
export async function loginNurse(sim: CossSimulator, nurse: string, body: object = {}): Promise<string> {
  const { qrCode } = await startLogin(sim, body);
  const outcome = await sim.phone.scan(qrCode, nurse);
  if (!outcome.ok) throw new Error(`scan failed: ${outcome.reason}`);
  return outcome.msspId;
}

export function verifiesWithCertificate(data: Buffer, signResultBase64: string, certBase64: string): boolean {
  const { publicKeyHex } = parseCertificate(certBase64);
  if (!publicKeyHex) return false;
  return sm2Verify(data, Buffer.from(signResultBase64, 'base64'), publicKeyHex);
}
