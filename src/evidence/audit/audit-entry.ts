import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { jcs } from '../envelope';

/** The prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);
export const ANCHOR_ENTRY_TYPE = 'AUDIT_ANCHOR';

/** Who acted. Never a handle, token or secret: the login handle only as a short SM3 hash. */
export interface AuditActor {
  apiKeyId?: string;
  handleHash?: string;
  /** 8 hex digits of the SHA-256 of a login handle, as in the LoginStarted event (a login that acted, e.g. enrolled). */
  handleRef?: string;
  address?: string;
}

/** What was acted on: identifiers only, never document content. */
export interface AuditSubject {
  recordId?: string;
  docId?: string;
  docType?: string;
  userCode?: string;
  vendor?: string;
  /** 16 hex digits of the SM3 hash of an enrolled CA identity: which identity, without naming it. */
  identityRef?: string;
  /** A QR login: the vendor's job reference (as in its QR code), never the PC's handle. */
  signDataId?: string;
  /** An Anhui operation: the scan service's guid (as in its QR code). */
  operationId?: string;
  /** A certificate serial (upper-case hex) whose seal data was read. */
  certSerial?: string;
  /** The route template of a grouped refusal (`/windranger/doc/:type/:id`), never a raw path. */
  route?: string;
  /** Several subjects of one kind (the API key ids of a configuration change). */
  ids?: string[];
}

/** An anchor entry's proof: a TSA token over the chain head it follows. */
export interface AuditAnchor {
  headSeq: number;
  headHash: string;
  /** The RFC 3161 TimeStampToken, DER, base64. */
  token: string;
  genTime: string;
  hashAlgorithm: string;
}

/** One configured API key as the chain records it: never its secret, only a short SHA-256 fingerprint of it. */
export interface AuditApiKey {
  id: string;
  scopes: string[];
  /** The first 16 hex digits of the SHA-256 of the secret: tells keys apart, too short to test guesses against. */
  fingerprint: string;
}

/** What a caller hands to `append`; the store adds seq, at, prevHash, keyId, hash and mac. */
export interface AuditEntryInput {
  type: string;
  outcome: string;
  actor?: AuditActor;
  subject?: AuditSubject;
  requestId?: string;
  /** When the event happened, when that is earlier than the append (an outbox item drained after a crash). */
  occurredAt?: Date;
  /** How many events one grouped entry stands for (refusals per address, route, status and minute). */
  count?: number;
  anchor?: AuditAnchor;
  /** API_KEYS_CHANGED only: the configured keys after the change. */
  apiKeys?: AuditApiKey[];
  /** Set by the outbox drain: the same key is never appended twice. */
  idempotencyKey?: string;
}

export interface AuditEntry extends AuditEntryInput {
  seq: number;
  at: Date;
  prevHash: string;
  keyId: string;
  hash: string;
  mac: string;
}

/** The part of an entry its hash covers: everything stored except the storage id, the hash and the mac. */
export function entryBody(entry: Record<string, unknown>): Record<string, unknown> {
  const { _id, hash, mac, ...body } = entry;
  void _id;
  void hash;
  void mac;
  return body;
}

/** hash = SM3(prevHash ‖ JCS(body)), prevHash as its 64 lowercase hex characters, both as UTF-8. */
export function chainHash(prevHash: string, body: Record<string, unknown>): string {
  return createHash('sm3')
    .update(prevHash, 'utf8')
    .update(jcs(asJson(body)), 'utf8')
    .digest('hex');
}

/** Dates as their ISO text, whatever realm made them (the JCS library only recognises toJSON of its own realm). */
function asJson(body: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(body));
}

/** mac = HMAC-SM3(key, hash), the hash as its 64 lowercase hex characters. */
export function entryMac(key: Buffer, hash: string): string {
  return createHmac('sm3', key).update(hash, 'utf8').digest('hex');
}

export function macMatches(key: Buffer, hash: string, mac: unknown): boolean {
  if (typeof mac !== 'string' || !/^[0-9a-f]{64}$/.test(mac)) return false;
  return timingSafeEqual(Buffer.from(entryMac(key, hash), 'hex'), Buffer.from(mac, 'hex'));
}

/** The login handle (msspId) as audit may keep it: enough to group one nurse's events, useless to sign with. */
export function shortHandleHash(handle: string): string {
  return createHash('sm3').update(handle, 'utf8').digest('hex').slice(0, 16);
}

/** Seals the next entry after `head` (null for the first): the stored document, hash and mac included. */
export function sealEntry(
  input: AuditEntryInput,
  head: { seq: number; hash: string } | null,
  key: { id: string; key: Buffer },
  at: Date,
): AuditEntry {
  const body = withoutUndefined({
    ...input,
    seq: head ? head.seq + 1 : 1,
    at,
    prevHash: head ? head.hash : GENESIS_HASH,
    keyId: key.id,
  }) as Omit<AuditEntry, 'hash' | 'mac'>;
  const hash = chainHash(body.prevHash, body as unknown as Record<string, unknown>);
  return { ...body, hash, mac: entryMac(key.key, hash) };
}

/** The driver would store undefined as null, which the hash would then cover; drop it before hashing instead. */
function withoutUndefined<T>(value: T): T {
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .map(([name, item]) => [name, withoutUndefined(item)]),
  ) as T;
}
