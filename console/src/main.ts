import { Access, accessOf, loadAudit, loadEnrollments } from './admin';
import { forgetKey, keepKey, storedKey } from './api-key';
import type { Locale } from './i18n';
import { DocumentType, MnisCaClient, SignedDocument, SignResult } from './mnis-ca-client';
import { listRecords, showSigned, verifyAll } from './records';
import { $, currentLocale, describe, Part, setLocale, show, showError, when } from './ui';
import './style.css';

const client = new MnisCaClient({ locale: currentLocale() });
let login: { signDataId: string; msspId?: string; qrCode?: string; provider: string } | undefined;
let pendingScan: { qrCode: string; provider: string } | undefined;
let simulators: Record<string, boolean> = {};
let stopWatching: (() => void) | undefined;

function showQr(qrImage: string | undefined, qrCode: string, provider: string): void {
  const image = $<HTMLImageElement>('qr');
  if (qrImage) image.src = qrImage;
  image.hidden = !qrImage;
  pendingScan = { qrCode, provider };
  $('sim').hidden = !simulators[provider];
  show($('sim-scan'), { k: provider === 'anhui' ? 'virtualApp' : 'virtualPhone' });
}

/** Follows a login or a signing job over SSE; `onEnd` runs once the job has left UNSIGN. */
function follow(signDataId: string, onEnd: (result: SignResult) => void): void {
  stopWatching?.();
  stopWatching = client.watch(signDataId, (result) => {
    $('login-status').textContent = result.jobStatus;
    if (result.jobStatus !== 'UNSIGN') onEnd(result);
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
    follow(started.signDataId, (result) => {
      $('sim').hidden = true;
      if (result.jobStatus !== 'FINISH' || !login) return;
      // The msspId is this login's secret: kept for signing, never shown (a screen is not a safe place for it).
      login.msspId = result.msspId;
      show($('login-status'), `${result.jobStatus} · `, { k: 'loggedIn' });
      const until: Part[] = result.authorizationEndsAt
        ? [' · ', { k: 'authorizedUntil' }, ` ${when(result.authorizationEndsAt)}`]
        : [];
      show($('login-user'), result.userCode ?? '', ...until);
      // A first login enrolls the nurse's CA identity: an administrator sees it at once.
      if (!$('admin-panel').hidden) void loadEnrollments(client);
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
      follow(signed.signDataId, ({ jobStatus }) => {
        if (jobStatus !== 'FINISH') return show($('sign-status'), jobStatus);
        client
          .get<SignedDocument & { signature?: { recordId?: string } }>(
            `/windranger/doc/${signed.type}/${encodeURIComponent(signed.docId)}`,
          )
          .then((document) =>
            showSigned(client, {
              ...signed,
              status: document.signature ? 'SIGNED' : 'FAILED',
              recordId: document.signature?.recordId,
            }),
          )
          .catch((error: unknown) => showError('sign-error', error));
      });
      return;
    }
    await showSigned(client, signed);
    $<HTMLTextAreaElement>('doc-data').value = sampleDocument(type);
  } catch (error) {
    showError('sign-error', error);
  }
}

async function detectSimulators(): Promise<void> {
  const response = await fetch('/console/embedded').catch(() => undefined);
  simulators = response?.ok ? ((await response.json()) as { simulators: Record<string, boolean> }).simulators : {};
}

const KEY_STATE: Partial<Record<Access, Part>> = {
  admin: { k: 'keyAdmin' },
  read: { k: 'keyRead' },
  unavailable: { k: 'keySet' },
};

/** A gateway without any admin route (404) still tells an unknown key (401) on a read route. */
async function readAccess(): Promise<Access> {
  try {
    await client.records('console-key-check', 'document');
    return 'unavailable';
  } catch (error) {
    return accessOf(error) === 'none' ? 'none' : 'unavailable';
  }
}

/**
 * Uses a key (or none) on every route: the enrollments answer tells what it opens. An admin key shows the admin
 * panel; a read key hides it; an unknown key is refused here and not kept. Only a key the gateway took is kept.
 */
async function useKey(key: string | undefined): Promise<void> {
  client.apiKey = key;
  $('key-error').hidden = true;
  // Each admin route tells an admin key from a read key (403); a gateway may have one without the other.
  let access = await loadEnrollments(client);
  const auditLoaded = access === 'unavailable';
  if (auditLoaded) access = await loadAudit(client);
  if (access === 'unavailable') access = await readAccess();
  if (access === 'none' && key) {
    forgetKey();
    client.apiKey = undefined;
    show($('key-error'), { k: 'needsKey' });
    $('key-error').hidden = false;
  } else if (key) {
    keepKey(key);
  }
  const kept = Boolean(client.apiKey);
  $('key-form').hidden = kept;
  $('key-state').hidden = !kept && access !== 'admin';
  $('forget-key').hidden = !kept;
  show($('key-state'), kept ? (KEY_STATE[access] ?? { k: 'keySet' }) : { k: 'keyNotNeeded' });
  $('admin-panel').hidden = access === 'read' || access === 'none';
  if (!$('admin-panel').hidden && !auditLoaded) void loadAudit(client);
  await listRecords(client);
}

document.querySelectorAll<HTMLButtonElement>('.lang button').forEach((button) => {
  button.addEventListener('click', () => {
    setLocale(button.dataset.locale as Locale);
    client.locale = currentLocale();
  });
});
$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>('api-key');
  const key = input.value.trim();
  input.value = '';
  void useKey(key || undefined);
});
$('forget-key').addEventListener('click', () => {
  forgetKey();
  void useKey(undefined);
});
$('login-form').addEventListener('submit', (event) => void startLogin(event));
$('sim-scan').addEventListener('click', () => void simulatorScan());
$('sign-form').addEventListener('submit', (event) => void sign(event));
$('doc-type').addEventListener('change', () => {
  $<HTMLTextAreaElement>('doc-data').value = sampleDocument($<HTMLSelectElement>('doc-type').value as DocumentType);
});
$('records-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void listRecords(client);
});
$('verify-all').addEventListener('click', () => void verifyAll(client));
$('enrollments-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void loadEnrollments(client);
});
$('audit-refresh').addEventListener('click', () => void loadAudit(client));

setLocale(currentLocale());
$<HTMLTextAreaElement>('doc-data').value = sampleDocument('document');
void detectSimulators();
// Without a kept key the page asks first rather than probing guarded routes (each refusal is audited).
const kept = storedKey();
if (kept) void useKey(kept);
