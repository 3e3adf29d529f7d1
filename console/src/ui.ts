import { applyLocale, Locale, MessageKey, translate } from './i18n';
import { MnisCaError } from './mnis-ca-client';

let locale: Locale = localStorage.getItem('mnis-console-locale') === 'en' ? 'en' : 'zh-CN';

export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
export const t = (key: MessageKey) => translate(locale, key);

export function currentLocale(): Locale {
  return locale;
}

export function setLocale(next: Locale): void {
  locale = next;
  localStorage.setItem('mnis-console-locale', next);
  applyLocale(document, next);
  document.querySelectorAll<HTMLButtonElement>('.lang button').forEach((button) => {
    button.classList.toggle('active', button.dataset.locale === next);
  });
}

/** An ISO instant as shown: a space for the T, so that a narrow cell wraps between the date and the time. */
export function when(iso: string | null | undefined): string {
  return iso ? iso.replace('T', ' ') : '';
}

/** A text made of fixed strings and messages; the messages follow a later language switch (data-i18n). */
export type Part = string | { k: MessageKey };

export function show(element: HTMLElement, ...parts: Part[]): void {
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

/** A table row of cells, each made of parts. */
export function row(cells: Part[][], data: Record<string, string> = {}): HTMLTableRowElement {
  const tr = document.createElement('tr');
  Object.assign(tr.dataset, data);
  for (const parts of cells) {
    const cell = document.createElement('td');
    show(cell, ...parts);
    tr.append(cell);
  }
  return tr;
}

/** Fills a table body with rows, or with one row that says `empty`. */
export function fillTable(body: HTMLTableSectionElement, rows: HTMLTableRowElement[], empty: MessageKey): void {
  if (rows.length > 0) return body.replaceChildren(...rows);
  const cell = document.createElement('td');
  cell.colSpan = body.parentElement?.querySelectorAll('thead th').length ?? 1;
  show(cell, { k: empty });
  const only = document.createElement('tr');
  only.append(cell);
  body.replaceChildren(only);
}

export function describe(error: unknown): Part[] {
  if (error instanceof MnisCaError) {
    if (error.status === 401) return [{ k: 'needsKey' }, ` (${error.type})`];
    if (error.status === 403) return [{ k: 'needsAdmin' }, ` (${error.type})`];
    if (error.status === 404 && error.type === 'HTTP_404') return [{ k: 'notAvailable' }];
    return [{ k: 'error' }, ` ${error.status} ${error.type}: ${error.message}`];
  }
  return [{ k: 'error' }, `: ${String(error)}`];
}

export function showError(id: string, error: unknown): void {
  const element = $(id);
  show(element, ...describe(error));
  element.hidden = false;
}
