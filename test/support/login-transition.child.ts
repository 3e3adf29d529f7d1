import { setTimeout as sleep } from 'node:timers/promises';
import { EventBus } from '../../src/events';
import { AuthorizationStore } from '../../src/login/authorization.store';
import { CaAuthorization, CaAuthorizationSchema } from '../../src/login/schemas/ca-authorization.schema';
import { auditStoreOn } from './audit-chain';

/**
 * A gateway process that commits a QR login's start and FINISH through the real AuthorizationStore, says so on stdout,
 * and waits: the parent's SIGKILL lands after the transitions and before any drain has put them in the chain.
 */
async function main() {
  const { conn } = await auditStoreOn(process.env.OUTBOX_DB!);
  const model = conn.model(CaAuthorization.name, CaAuthorizationSchema);
  await model.init();
  const store = new AuthorizationStore(model, new EventBus());
  const signDataId = `SD-${process.pid}`;
  const login = {
    signDataId,
    handleHash: 'a'.repeat(64),
    tokenHash: 'b'.repeat(64),
    provider: 'coss',
    qrCode: 'qr://login',
    userCode: 'N042',
    timeRegion: 60,
    validitySeconds: 3600,
    qrExpiresAt: new Date(Date.now() + 60_000),
  };
  await store.start(login);
  const finishedAt = new Date();
  await store.finish((await store.find(signDataId))!, {
    msspId: 'mssp-kill-test',
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
    authorizedUntil: new Date(finishedAt.getTime() + 3_600_000),
  });
  process.stdout.write(`committed ${signDataId}\n`);
  await sleep(60_000);
}

void main();
