import { COSS_STATUS } from '../../ca/vendors/coss/coss.wire';
import { signCossRequest } from '../../ca/vendors/coss/coss-request-signature';
import { CossSimulator } from './coss-simulator';
import { cossPost } from './coss-sim.testing';

const APP_ID = 'APP_TEST';
const SECRET = 'simulator-secret';

describe(`${CossSimulator.name} request signatures`, () => {
  let sim: CossSimulator;

  beforeAll(async () => {
    sim = await CossSimulator.start({ appId: APP_ID, appSecret: SECRET });
  });
  afterAll(() => sim.stop());

  it('accepts a request signed with the app secret', async () => {
    const answer = await cossPost(sim, 'startAutoSign', signCossRequest({ timeRegion: 60 }, APP_ID, SECRET));
    expect(answer.status).toBe(200);
  });

  it.each([
    ['an unsigned request', { timeRegion: 60 }],
    ['a request signed with another secret', signCossRequest({ timeRegion: 60 }, APP_ID, 'wrong')],
    ['a request changed after signing', { ...signCossRequest({ timeRegion: 60 }, APP_ID, SECRET), timeRegion: 61 }],
  ])('answers 89000005 for %s', async (_name, body) => {
    expect(await cossPost(sim, 'startAutoSign', body)).toEqual({
      status: COSS_STATUS.REQUEST_SIGNATURE_INVALID,
      message: '请求签名验证失败',
      data: null,
    });
  });
});
