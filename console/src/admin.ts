import type { MessageKey } from './i18n';
import { MnisCaClient, MnisCaError } from './mnis-ca-client';
import { $, describe, fillTable, Part, row, show, when } from './ui';

export interface Enrollment {
  userCode: string;
  vendor: string;
  identity: string;
  source: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface AuditReport {
  valid: boolean;
  entries: number;
  anchors: number;
  firstBroken: { seq: number; reason: string } | null;
}

/** What the key opens: the admin panel, the records only, nothing (no or an unknown key), or a gateway without it. */
export type Access = 'admin' | 'read' | 'none' | 'unavailable';

const SOURCES: Record<string, MessageKey> = { 'first-use': 'firstUse', admin: 'byAdmin', import: 'byImport' };

export function accessOf(error: unknown): Access | undefined {
  if (!(error instanceof MnisCaError)) return undefined;
  return ({ 401: 'none', 403: 'read', 404: 'unavailable' } as Record<number, Access>)[error.status];
}

/** A gateway without the route answers 404 (route not found): an older version, not a failure. */
function problem(error: unknown): Part[] {
  return accessOf(error) === 'unavailable' ? [{ k: 'notAvailable' }] : describe(error);
}

/** Lists the enrollments (filtered by the form); the answer also tells what the key may see. */
export async function loadEnrollments(client: MnisCaClient): Promise<Access> {
  const query = new URLSearchParams();
  const userCode = $<HTMLInputElement>('enrollments-user').value.trim();
  const vendor = $<HTMLSelectElement>('enrollments-vendor').value;
  if (userCode) query.set('userCode', userCode);
  if (vendor) query.set('vendor', vendor);
  const error = $('enrollments-error');
  error.hidden = true;
  const body = $('enrollments').querySelector('tbody') as HTMLTableSectionElement;
  try {
    const data = await client.get<Enrollment[] | { items: Enrollment[] }>(`/admin/enrollments?${query}`);
    const items = Array.isArray(data) ? data : data.items;
    const rows = items.map((item) => {
      const source: Part = SOURCES[item.source] ? { k: SOURCES[item.source] } : item.source;
      return row(
        [[item.userCode], [item.vendor], [item.identity], [source], [when(item.createdAt)], [when(item.updatedAt)]],
        { userCode: item.userCode, vendor: item.vendor, source: item.source },
      );
    });
    fillTable(body, rows, 'noEnrollments');
    return 'admin';
  } catch (failure) {
    body.replaceChildren();
    show(error, ...problem(failure));
    error.hidden = false;
    return accessOf(failure) ?? 'admin';
  }
}

/** Verifies the audit chain now: intact or where it first breaks, with the number of entries and anchors. */
export async function loadAudit(client: MnisCaClient): Promise<Access> {
  const target = $('audit-status');
  target.className = '';
  delete target.dataset.valid;
  show(target, '…');
  try {
    const report = await client.get<AuditReport>('/admin/audit/verify');
    target.className = report.valid ? 'ok' : 'bad';
    target.dataset.valid = String(report.valid);
    const broken = report.firstBroken;
    show(
      target,
      { k: report.valid ? 'chainIntact' : 'chainBroken' },
      broken ? ` #${broken.seq} (${broken.reason})` : '',
      ` · ${report.entries} `,
      { k: 'entries' },
      ` · ${report.anchors} `,
      { k: 'anchors' },
    );
    return 'admin';
  } catch (failure) {
    show(target, ...problem(failure));
    return accessOf(failure) ?? 'admin';
  }
}
