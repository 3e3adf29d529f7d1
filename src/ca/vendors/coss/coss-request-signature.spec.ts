import { createHmac } from 'node:crypto';
import { cossCanonicalString, signCossRequest, verifyCossRequestSignature } from './coss-request-signature';

describe('COSS request signature', () => {
  it('sorts keys, drops signature and null values', () => {
    expect(
      cossCanonicalString({ timeRegion: 60, userId: '', appId: 'APP_1', signature: 'x', version: null, b: undefined }),
    ).toBe('appId=APP_1&timeRegion=60&userId=');
  });

  it('signs with HMAC-SHA256 over the canonical string, base64', () => {
    const signed = signCossRequest({ signDataId: 'SD_1' }, 'APP_1', 'secret-123');
    const canonical = 'appId=APP_1&signAlgo=HMAC&signDataId=SD_1&version=1.0';
    expect(signed.signature).toBe(createHmac('sha256', 'secret-123').update(canonical).digest('base64'));
    expect(verifyCossRequestSignature(signed, 'secret-123')).toBe(true);
  });

  it('rejects a changed field, a wrong secret and a missing signature', () => {
    const signed = signCossRequest({ signDataId: 'SD_1' }, 'APP_1', 'secret-123');
    expect(verifyCossRequestSignature({ ...signed, signDataId: 'SD_2' }, 'secret-123')).toBe(false);
    expect(verifyCossRequestSignature(signed, 'other-secret')).toBe(false);
    expect(verifyCossRequestSignature({ signDataId: 'SD_1' }, 'secret-123')).toBe(false);
  });
});
