import { showTimestamp, showVerification, timestampParts } from './evidence';
import { DocumentType, MnisCaClient, SignatureRecord, SignedDocument } from './mnis-ca-client';
import { $, describe, fillTable, row, show, showError, t, when } from './ui';

/** How long the signed view waits for the background stamper to move the timestamp off PENDING. */
const TIMESTAMP_WAIT_MS = 5_000;
const TIMESTAMP_POLL_MS = 250;

function certificateLine(record: SignatureRecord | undefined): string {
  if (!record) return '—';
  return [record.certSubject, record.certSerial && `SN ${record.certSerial}`].filter(Boolean).join(' · ');
}

/** The signed record once its timestamp is GRANTED or FAILED, or as it stands after TIMESTAMP_WAIT_MS. */
async function settledRecord(client: MnisCaClient, signed: SignedDocument): Promise<SignatureRecord | undefined> {
  const deadline = Date.now() + TIMESTAMP_WAIT_MS;
  for (;;) {
    const records = await client.records(signed.docId, signed.type);
    const record = records.find((candidate) => candidate.recordId === signed.recordId) ?? records[0];
    if (record?.timestamp?.status !== 'PENDING' || Date.now() >= deadline) return record;
    await new Promise((resolve) => setTimeout(resolve, TIMESTAMP_POLL_MS));
  }
}

/** The signed document's record: signature, certificate, timestamp, and the verification once the stamp settled. */
export async function showSigned(client: MnisCaClient, signed: SignedDocument): Promise<void> {
  $('signed').hidden = false;
  $('sign-status').textContent = signed.status;
  $('sign-record').textContent = signed.recordId ?? '';
  $<HTMLInputElement>('records-doc').value = signed.docId;
  $<HTMLSelectElement>('records-type').value = signed.type;
  show($('sign-verification'), { k: 'notChecked' });
  $('sign-verification').className = '';
  show($('sign-timestamp'), '…');
  const record = await settledRecord(client, signed).catch((error: unknown) => {
    show($('sign-timestamp'), ...describe(error));
    return undefined;
  });
  $('sign-signature').textContent = record?.signResult ?? String(signed.signResult ?? '—');
  $('sign-certificate').textContent = certificateLine(record);
  if (record) showTimestamp($('sign-timestamp'), record.timestamp);
  const evidence = $('sign-evidence');
  evidence.replaceChildren();
  if (signed.recordId && signed.status === 'SIGNED') {
    evidence.append(evidenceButton(client, signed.recordId, $('sign-error')));
    showVerification($('sign-verification'), await client.verify(signed.recordId));
  }
  await listRecords(client);
}

/** Saves the record's evidence ZIP through a download link; the key travels in the header, never in a URL. */
async function downloadEvidence(client: MnisCaClient, recordId: string, problem: HTMLElement): Promise<void> {
  problem.hidden = true;
  try {
    const { zip, fileName } = await client.evidence(recordId);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(zip);
    link.download = fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  } catch (error) {
    show(problem, ...describe(error));
    problem.hidden = false;
  }
}

function evidenceButton(client: MnisCaClient, recordId: string, problem: HTMLElement): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'evidence';
  button.dataset.i18n = 'evidence';
  button.textContent = t('evidence');
  button.addEventListener('click', () => void downloadEvidence(client, recordId, problem));
  return button;
}

export async function listRecords(client: MnisCaClient): Promise<void> {
  $('records-error').hidden = true;
  const docId = $<HTMLInputElement>('records-doc').value.trim();
  if (!docId) return;
  const body = $('records').querySelector('tbody') as HTMLTableSectionElement;
  try {
    const records = await client.records(docId, $<HTMLSelectElement>('records-type').value as DocumentType);
    const rows = records.map((record) =>
      row(
        [
          [record.recordId],
          [record.status],
          [record.userCode ?? ''],
          [when(record.signedAt)],
          timestampParts(record.timestamp),
          [{ k: 'notChecked' }],
          [],
        ],
        { recordId: record.recordId, timestamp: record.timestamp?.status ?? 'NONE' },
      ),
    );
    rows.forEach((tr, index) => {
      if (records[index].status === 'SIGNED') {
        tr.cells[6].append(evidenceButton(client, records[index].recordId, $('records-error')));
      }
    });
    fillTable(body, rows, 'noRecords');
  } catch (error) {
    body.replaceChildren();
    showError('records-error', error);
  }
}

export async function verifyAll(client: MnisCaClient): Promise<void> {
  const rows = [...$('records').querySelectorAll<HTMLTableRowElement>('tbody tr[data-record-id]')];
  for (const tr of rows) {
    const cell = tr.cells[5];
    try {
      showVerification(cell, await client.verify(tr.dataset.recordId as string));
    } catch (error) {
      show(cell, ...describe(error));
    }
  }
}
