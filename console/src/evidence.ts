import type { MessageKey } from './i18n';
import type { TimestampView, Verification } from './mnis-ca-client';
import { Part, show, when } from './ui';

const TIMESTAMP_STATUS: Record<string, MessageKey> = {
  PENDING: 'tsPending',
  GRANTED: 'tsGranted',
  FAILED: 'tsFailed',
};

/** The trusted timestamp: its status, genTime once GRANTED, and why it is still missing otherwise. */
export function timestampParts(stamp: TimestampView | null | undefined): Part[] {
  if (!stamp) return [{ k: 'none' }];
  const status = TIMESTAMP_STATUS[stamp.status];
  return [
    status ? { k: status } : stamp.status,
    stamp.genTime ? ` · ${when(stamp.genTime)}` : '',
    stamp.status !== 'GRANTED' && stamp.reason ? ` (${stamp.reason})` : '',
  ];
}

export function showTimestamp(element: HTMLElement, stamp: TimestampView | null | undefined): void {
  element.dataset.status = stamp?.status ?? 'NONE';
  show(element, ...timestampParts(stamp));
}

/** The verdict, what vouches for the signing instant (the timestamp or the gateway's clock) and that instant. */
export function showVerification(element: HTMLElement, verification: Verification): void {
  element.className = verification.valid ? 'ok' : 'bad';
  element.dataset.valid = String(verification.valid);
  element.dataset.assurance = verification.assurance ?? '';
  element.title = (verification.notes ?? []).join('\n');
  const parts: Part[] = [{ k: verification.valid ? 'valid' : 'invalid' }];
  if (verification.reason) parts.push(` ${verification.reason}`);
  if (verification.assurance) {
    parts.push(' · ', { k: verification.assurance === 'TIMESTAMPED' ? 'byTimestamp' : 'bySigningTime' });
  }
  if (verification.validAt) parts.push(' · ', { k: 'validAt' }, ` ${when(verification.validAt)}`);
  show(element, ...parts);
}
