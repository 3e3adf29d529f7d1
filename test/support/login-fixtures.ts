import { randomUUID } from 'node:crypto';
import type { FinishedLogin, NewLogin } from '../../src/login/authorization.store';

/** A QR login as LoginService starts it (hashes stand in for the handle and token). */
export function newLogin(over: Partial<NewLogin> = {}): NewLogin {
  return {
    signDataId: `SD-${randomUUID()}`,
    handleHash: `h-${randomUUID()}`,
    tokenHash: `t-${randomUUID()}`,
    provider: 'coss',
    qrCode: 'qr://login',
    challenge: 'challenge',
    timeRegion: 60,
    validitySeconds: 3600,
    qrExpiresAt: new Date(Date.now() + 60_000),
    ...over,
  };
}

/** What a verified approval of that login gives the store. */
export function finishedLogin(msspId: string, finishedAt = new Date()): FinishedLogin {
  return {
    msspId,
    identity: msspId,
    signResult: 'c2ln',
    certificate: {
      der: 'ZGVy',
      serialNumber: '0A1B',
      subject: 'CN=Nurse',
      issuer: 'CN=CA',
      notBefore: new Date('2026-01-01'),
      notAfter: new Date('2027-01-01'),
      keyAlgorithm: 'SM2',
      fingerprintSm3: 'f'.repeat(64),
    },
    finishedAt,
    authorizedUntil: new Date(finishedAt.getTime() + 3600_000),
  };
}
