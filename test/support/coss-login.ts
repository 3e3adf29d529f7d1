import request from 'supertest';
import type { CossSimulator } from '../../src/simulators/coss/coss-simulator';
import type { TestApp } from './test-app';
import { waitFor } from './wait';

export interface LoggedInNurse {
  signDataId: string;
  msspId: string;
  userCode: string;
}

/** The seed's login: startAutoSign, the nurse scans with the virtual phone, the PC polls getSignResult to FINISH. */
export async function loginWithCoss(
  t: TestApp,
  sim: CossSimulator,
  nurse: string,
  extra: Record<string, unknown> = {},
): Promise<LoggedInNurse> {
  const started = await request(t.http)
    .post('/coss/service/v1/startAutoSign')
    .send({ userId: '', timeRegion: 60, userCode: nurse, ...extra });
  if (started.status !== 200) throw new Error(`startAutoSign: ${started.status} ${JSON.stringify(started.body)}`);
  const { signDataId, qrCode } = started.body.data;
  const scanned = await sim.phone.scan(qrCode, nurse, 'approve');
  if (!('msspId' in scanned)) throw new Error(`scan failed: ${JSON.stringify(scanned)}`);
  const finished = await waitFor(
    () => request(t.http).post('/coss/service/v1/getSignResult').send({ signDataId }),
    (res) => res.status !== 200 || res.body.data?.jobStatus !== 'UNSIGN',
  );
  if (finished.body.data?.jobStatus !== 'FINISH')
    throw new Error(`login did not finish: ${JSON.stringify(finished.body)}`);
  return { signDataId, msspId: finished.body.data.msspId, userCode: nurse };
}

/** signDocWithCa with the nurse's login, as the MNIS services send it. */
export function signAsNurse(t: TestApp, nurse: LoggedInNurse, docData: object, type = 'document') {
  return request(t.http)
    .post('/windranger/doc/ca/signDocWithCa')
    .send({
      caIdentityParamsMap: { accessToken: nurse.msspId, signDataId: nurse.signDataId },
      userCode: nurse.userCode,
      docData,
      type,
    });
}
