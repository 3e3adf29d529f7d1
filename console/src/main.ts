import { applyLocale, Locale, MessageKey, translate } from './i18n';
import { DocumentType, MnisCaClient, MnisCaError, SignatureRecord, SignedDocument } from './mnis-ca-client';
import './style.css';

const client = new MnisCaClient();
let locale: Locale = localStorage.getItem('mnis-console-locale') === 'en' ? 'en' : 'zh-CN';
let login: { signDataId: string; msspId?: string; qrCode?: string; provider: string } | undefined;
let pendingScan: { qrCode: string; provider: string } | undefined;
let simulators: Record<string, boolean> = {};
let stopWatching: (() => void) | undefined;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const t = (key: MessageKey) => translate(locale, key);

/** A text made of fixed strings and messages; the messages follow a later language switch (data-i18n). */
type Part = string | { k: MessageKey };
function show(element: HTMLElement, ...parts: Part[]): void {
  element.replaceChildren(
    ...parts.map((part) => {
      if (typeof part === 'string') return document.createTextNode(part);
      const span = document.createElement('span');
      span.dataset.i18n = part.k;
      span.textContent = t(part.k);
      return span;
    }),
  );
}

function setLocale(next: Locale): void {
  locale = next;
  localStorage.setItem('mnis-console-locale', next);
  applyLocale(document, next);
  document.querySelectorAll<HTMLButtonElement>('.lang button').forEach((button) => {
    button.classList.toggle('active', button.dataset.locale === next);
  });
}

function describe(error: unknown): Part[] {
  if (error instanceof MnisCaError) {
    if (error.status === 401) return [{ k: 'needsKey' }, ` (${error.type})`];
    if (error.status === 403) return [{ k: 'needsAdmin' }, ` (${error.type})`];
    if (error.status === 404 && error.type === 'HTTP_404') return [{ k: 'notAvailable' }];
    return [{ k: 'error' }, ` ${error.status} ${error.type}: ${error.message}`];
  }
  return [{ k: 'error' }, `: ${String(error)}`];
}

function showError(id: string, error: unknown): void {
  const element = $(id);
  show(element, ...describe(error));
  element.hidden = false;
}

function showQr(qrImage: string | undefined, qrCode: string, provider: string): void {
  const image = $<HTMLImageElement>('qr');
  if (qrImage) image.src = qrImage;
  image.hidden = !qrImage;
  pendingScan = { qrCode, provider };
  $('sim').hidden = !simulators[provider];
  show($('sim-scan'), { k: provider === 'anhui' ? 'virtualApp' : 'virtualPhone' });
}

/** Follows a login or a signing job over SSE; `onFinish` runs once the job has left UNSIGN. */
function follow(signDataId: string, onEnd: (status: string, msspId?: string) => void): void {
  stopWatching?.();
  stopWatching = client.watch(signDataId, (result) => {
    $('login-status').textContent = result.jobStatus;
    if (result.jobStatus !== 'UNSIGN') onEnd(result.jobStatus, result.msspId);
  });
}

async function startLogin(event: Event): Promise<void> {
  event.preventDefault();
  const provider = $<HTMLSelectElement>('provider').value;
  $('login-status').textContent = '…';
  $('login-user').textContent = '';
  try {
    const started = await client.startLogin({ userCode: $<HTMLInputElement>('user-code').value, provider });
    login = { signDataId: started.signDataId, qrCode: started.qrCode, provider };
    showQr(started.qrImage, started.qrCode, provider);
    show($('login-status'), { k: 'waiting' });
    follow(started.signDataId, (status, msspId) => {
      $('sim').hidden = true;
      if (status !== 'FINISH' || !login) return;
      login.msspId = msspId;
      show($('login-status'), `${status} · `, { k: 'loggedIn' });
      $('login-user').textContent = `msspId ${msspId ?? ''}`;
    });
  } catch (error) {
    show($('login-status'), ...describe(error));
  }
}

async function simulatorScan(): Promise<void> {
  if (!pendingScan) return;
  const user = pendingScan.provider === 'anhui' ? 'sm2-nurse' : $<HTMLInputElement>('user-code').value;
  const response = await fetch(`/console/embedded/${pendingScan.provider}/scan`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ qrCode: pendingScan.qrCode, user }),
  });
  if (!response.ok) show($('login-status'), { k: 'error' }, ` ${response.status}: ${await response.text()}`);
}

function sampleDocument(type: DocumentType): string {
  const id = `${type === 'document' ? 'DOC' : 'RISK'}-${Date.now().toString(36).toUpperCase()}`;
  const content =
    type === 'document'
      ? { id, patientId: 'P-0001', bed: '12', temperature: 36.8, pulse: 78, note: '夜间睡眠良好' }
      : { id, patientId: 'P-0001', scale: 'Braden', score: 14, level: '中危' };
  return JSON.stringify(content, null, 2);
}

function certificateLine(record: SignatureRecord | undefined): string {
  if (!record) return '—';
  return [record.certSubject, record.certSerial && `SN ${record.certSerial}`].filter(Boolean).join(' · ');
}

/** The record's trusted timestamp once the evidence work stores one; "none" until then. */
function timestampText(record: SignatureRecord | undefined): Part {
  const stamp = record?.timestamp as { genTime?: string; status?: string } | string | undefined;
  if (!stamp) return { k: 'none' };
  if (typeof stamp === 'string') return stamp;
  return [stamp.status, stamp.genTime].filter(Boolean).join(' ') || { k: 'none' };
}

function verificationText(element: HTMLElement, verification: { valid: boolean; reason?: string }): void {
  element.className = verification.valid ? 'ok' : 'bad';
  show(element, { k: verification.valid ? 'valid' : 'invalid' }, verification.reason ? ` ${verification.reason}` : '');
}

async function showSigned(signed: SignedDocument): Promise<void> {
  $('signed').hidden = false;
  $('sign-status').textContent = signed.status;
  $('sign-record').textContent = signed.recordId ?? '';
  $<HTMLInputElement>('records-doc').value = signed.docId;
  $<HTMLSelectElement>('records-type').value = signed.type;
  const records = await client.records(signed.docId, signed.type).catch(() => [] as SignatureRecord[]);
  const record = records.find((candidate) => candidate.recordId === signed.recordId) ?? records[0];
  $('sign-signature').textContent = record?.signResult ?? String(signed.signResult ?? '—');
  $('sign-certificate').textContent = certificateLine(record);
  show($('sign-timestamp'), timestampText(record));
  show($('sign-verification'), { k: 'notChecked' });
  if (signed.recordId && signed.status === 'SIGNED') {
    verificationText($('sign-verification'), await client.verify(signed.recordId));
  }
  await listRecords();
}

async function sign(event: Event): Promise<void> {
  event.preventDefault();
  $('sign-error').hidden = true;
  if (!login?.msspId) {
    show($('sign-error'), { k: 'loginFirst' });
    $('sign-error').hidden = false;
    return;
  }
  try {
    const type = $<HTMLSelectElement>('doc-type').value as DocumentType;
    const docData = JSON.parse($<HTMLTextAreaElement>('doc-data').value) as { id: string };
    const signed = await client.sign({
      accessToken: login.msspId,
      signDataId: login.signDataId,
      userCode: $<HTMLInputElement>('user-code').value,
      type,
      docData,
    });
    if (signed.status === 'PENDING_SCAN' && typeof signed.signDataId === 'string') {
      // Anhui: every signature is confirmed on the phone; the document is signed once that job finishes.
      showQr(signed.qrImage as string | undefined, signed.qrCode as string, login.provider);
      $('signed').hidden = false;
      $('sign-status').textContent = signed.status;
      follow(signed.signDataId, (status) => {
        if (status !== 'FINISH') return show($('sign-status'), status);
        client
          .get<SignedDocument & { signature?: { recordId?: string } }>(
            `/windranger/doc/${signed.type}/${encodeURIComponent(signed.docId)}`,
          )
          .then((document) =>
            showSigned({
              ...signed,
              status: document.signature ? 'SIGNED' : 'FAILED',
              recordId: document.signature?.recordId,
            }),
          )
          .catch((error: unknown) => showError('sign-error', error));
      });
      return;
    }
    await showSigned(signed);
    $<HTMLTextAreaElement>('doc-data').value = sampleDocument(type);
  } catch (error) {
    showError('sign-error', error);
  }
}

async function listRecords(event?: Event): Promise<void> {
  event?.preventDefault();
  $('records-error').hidden = true;
  const body = $('records').querySelector('tbody') as HTMLTableSectionElement;
  try {
    const docId = $<HTMLInputElement>('records-doc').value;
    const records = await client.records(docId, $<HTMLSelectElement>('records-type').value as DocumentType);
    body.replaceChildren(
      ...records.map((record) => {
        const row = document.createElement('tr');
        row.dataset.recordId = record.recordId;
        const parts: Part[] = [
          record.recordId,
          record.status,
          record.userCode ?? '',
          record.signedAt ?? '',
          timestampText(record),
          { k: 'notChecked' },
        ];
        for (const part of parts) {
          const cell = document.createElement('td');
          show(cell, part);
          row.append(cell);
        }
        return row;
      }),
    );
    if (records.length === 0) {
      const cell = document.createElement('td');
      cell.colSpan = 6;
      show(cell, { k: 'noRecords' });
      body.replaceChildren(document.createElement('tr'));
      body.firstElementChild?.append(cell);
    }
  } catch (error) {
    showError('records-error', error);
  }
}

async function verifyAll(): Promise<void> {
  const rows = [...$('records').querySelectorAll<HTMLTableRowElement>('tbody tr[data-record-id]')];
  for (const row of rows) {
    const cell = row.cells[5];
    try {
      verificationText(cell, await client.verify(row.dataset.recordId as string));
    } catch (error) {
      show(cell, ...describe(error));
    }
  }
}

async function adminView(path: string, target: string, render: (data: unknown) => string): Promise<void> {
  try {
    show($(target), render(await client.get(path)));
  } catch (error) {
    // A gateway without the route answers 404 with the route-not-found envelope.
    show(
      $(target),
      ...(error instanceof MnisCaError && error.status === 404 ? [{ k: 'notAvailable' } as Part] : describe(error)),
    );
  }
}

async function loadAdmin(): Promise<void> {
  await Promise.all([
    adminView('/admin/enrollments', 'enrollments', (data) =>
      Array.isArray(data) ? `${data.length} · ${JSON.stringify(data.slice(0, 5))}` : JSON.stringify(data),
    ),
    adminView('/admin/audit/verify', 'audit', (data) => JSON.stringify(data)),
  ]);
}

async function detectSimulators(): Promise<void> {
  const response = await fetch('/console/embedded').catch(() => undefined);
  simulators = response?.ok ? ((await response.json()) as { simulators: Record<string, boolean> }).simulators : {};
}

document.querySelectorAll<HTMLButtonElement>('.lang button').forEach((button) => {
  button.addEventListener('click', () => setLocale(button.dataset.locale as Locale));
});
$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  client.apiKey = $<HTMLInputElement>('api-key').value || undefined;
  void listRecords();
});
$('login-form').addEventListener('submit', (event) => void startLogin(event));
$('sim-scan').addEventListener('click', () => void simulatorScan());
$('sign-form').addEventListener('submit', (event) => void sign(event));
$('doc-type').addEventListener('change', () => {
  $<HTMLTextAreaElement>('doc-data').value = sampleDocument($<HTMLSelectElement>('doc-type').value as DocumentType);
});
$('records-form').addEventListener('submit', (event) => void listRecords(event));
$('verify-all').addEventListener('click', () => void verifyAll());
$('load-admin').addEventListener('click', () => void loadAdmin());

setLocale(locale);
$<HTMLTextAreaElement>('doc-data').value = sampleDocument('document');
void detectSimulators();
