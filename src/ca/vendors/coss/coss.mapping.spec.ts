import {
  VendorBadParametersError,
  VendorBadResponseError,
  VendorJobExpiredError,
  VendorRefusedError,
  VendorRequestSignatureError,
  VendorUserInactiveError,
} from '../../../common/errors';
import { unwrapCossEnvelope } from './coss.mapping';

describe('unwrapCossEnvelope', () => {
  it('returns the data of a success', () => {
    expect(
      unwrapCossEnvelope('startAutoSign', { status: 200, message: 'SUCCESS', data: { signDataId: 'SD_1' } }),
    ).toEqual({
      signDataId: 'SD_1',
    });
  });

  it.each([
    [89003008, VendorJobExpiredError, 'VENDOR_JOB_EXPIRED'],
    [89004003, VendorUserInactiveError, 'VENDOR_USER_INACTIVE'],
    [89000005, VendorRequestSignatureError, 'VENDOR_REQUEST_SIGNATURE_REJECTED'],
    [10904001, VendorBadParametersError, 'VENDOR_BAD_PARAMETERS'],
    [50000001, VendorRefusedError, 'VENDOR_REFUSED'],
  ])('maps vendor code %s to a typed 502 that keeps the code and message', (status, type, name) => {
    const body = {
      status,
      message: '失败',
      data: status === 10904001 ? { errCode: 'E1', errMsg: 'signDataId为空' } : null,
    };
    try {
      unwrapCossEnvelope('getSignResult', body);
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(type);
      const e = error as VendorRefusedError;
      expect(e.type).toBe(name);
      expect(e.httpStatus).toBe(502);
      expect(e.context).toMatchObject({ vendor: 'coss', operation: 'getSignResult', vendorCode: status });
      expect(e.context.vendorMessage).toContain('失败');
      if (status === 10904001) expect(e.context.vendorMessage).toContain('signDataId为空');
    }
  });

  it.each([[null], ['<html>'], [{ message: 'no status' }], [{ status: 200, message: 'SUCCESS' }], [{ status: 'abc' }]])(
    'treats %p as a bad response',
    (body) => {
      expect(() => unwrapCossEnvelope('queryImage', body)).toThrow(VendorBadResponseError);
    },
  );
});
