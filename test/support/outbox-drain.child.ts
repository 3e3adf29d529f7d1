import { setTimeout as sleep } from 'node:timers/promises';
import { AuditOutboxDrain } from '../../src/evidence/audit';
import { auditStoreOn } from './audit-chain';
import { outboxDocsSource } from './outbox-docs';

/**
 * A gateway process that drains the outbox and, at the PAUSE_AT-th item, says so on stdout and stops between the
 * append and the mark, so that the parent's SIGKILL lands exactly there.
 */
async function main() {
  const { store, conn } = await auditStoreOn(process.env.OUTBOX_DB!);
  let appended = 0;
  const source = outboxDocsSource(conn, async (item) => {
    if (++appended === Number(process.env.PAUSE_AT)) {
      process.stdout.write(`paused after appending ${item.idempotencyKey}\n`);
      await sleep(60_000);
    }
  });
  await new AuditOutboxDrain(store).drain(source);
  process.stdout.write('drained\n');
  await conn.close();
}

void main();
