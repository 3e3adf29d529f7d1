export interface Nurse {
  userCode: string;
  msspId: string;
  signDataId: string;
}

interface Envelope<T> {
  status?: number;
  code?: number;
  message: string;
  data: T;
}

export async function postJson<T>(url: string, body: unknown): Promise<{ status: number; body: Envelope<T> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, body: (await res.json()) as Envelope<T> };
}

export async function startLogin(gateway: string, userCode: string): Promise<{ signDataId: string; qrCode: string }> {
  const started = await postJson<{ signDataId: string; qrCode: string }>(`${gateway}/coss/service/v1/startAutoSign`, {
    userId: '',
    timeRegion: 720,
    userCode,
  });
  if (started.status !== 200)
    throw new Error(`startAutoSign ${userCode}: ${started.status} ${JSON.stringify(started.body)}`);
  return started.body.data;
}

/** The seed's login through the gateway: startAutoSign, the virtual phone scans, getSignResult until FINISH. */
export async function loginNurse(gateway: string, sim: string, userCode: string): Promise<Nurse> {
  const { signDataId, qrCode } = await startLogin(gateway, userCode);
  const scanned = await postJson<unknown>(`${sim}/sim/phone/scan`, { qrCode, nurse: userCode, action: 'approve' });
  if (scanned.status !== 200)
    throw new Error(`phone scan ${userCode}: ${scanned.status} ${JSON.stringify(scanned.body)}`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const result = await postJson<{ jobStatus: string; msspId?: string }>(`${gateway}/coss/service/v1/getSignResult`, {
      signDataId,
    });
    const job = result.body.data;
    if (result.status === 200 && job.jobStatus === 'FINISH' && job.msspId)
      return { userCode, msspId: job.msspId, signDataId };
    if (result.status !== 200 || job.jobStatus !== 'UNSIGN')
      throw new Error(`login ${userCode}: ${result.status} ${JSON.stringify(result.body)}`);
    if (Date.now() > deadline) throw new Error(`login ${userCode} still UNSIGN after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function loginNurses(gateway: string, sim: string, count: number, prefix: string): Promise<Nurse[]> {
  const nurses: Nurse[] = [];
  const codes = Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(3, '0')}`);
  const inFlight = 10;
  for (let i = 0; i < codes.length; i += inFlight) {
    nurses.push(...(await Promise.all(codes.slice(i, i + inFlight).map((code) => loginNurse(gateway, sim, code)))));
  }
  return nurses;
}

export function signDocBody(nurse: Nurse, docData: Record<string, unknown>): string {
  return JSON.stringify({
    caIdentityParamsMap: { accessToken: nurse.msspId, signDataId: nurse.signDataId },
    docData,
    type: 'document',
    userCode: nurse.userCode,
  });
}
