import { setTimeout as sleep } from 'node:timers/promises';
import { EventBus } from '../../src/events';
import { AuthorizationStore } from '../../src/login/authorization.store';
import { CaAuthorization, CaAuthorizationSchema } from '../../src/login/schemas/ca-authorization.schema';
import { auditStoreOn } from './audit-chain';
import { finishedLogin, newLogin } from './login-fixtures';

/**
 * A gateway process that commits a QR login's start and FINISH through the real AuthorizationStore, says so on stdout,
 * and waits: the parent's SIGKILL lands after the transitions and before any drain has put them in the chain.
 */
async function main() {
  const { conn } = await auditStoreOn(process.env.OUTBOX_DB!);
  const model = conn.model(CaAuthorization.name, CaAuthorizationSchema);
  await model.init();
  const store = new AuthorizationStore(model, new EventBus());
  const login = newLogin({ handleHash: 'a'.repeat(64), tokenHash: 'b'.repeat(64), userCode: 'N042' });
  await store.start(login);
  await store.finish((await store.find(login.signDataId))!, finishedLogin('mssp-kill-test'));
  process.stdout.write(`committed ${login.signDataId}\n`);
  await sleep(60_000);
}

void main();
