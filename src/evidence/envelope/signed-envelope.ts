import canonicalize from 'canonicalize';
import { canonicalJson } from '../../signing/canonical-json';

/** The formats of the bytes a nurse signs. A record without `envelopeVersion` was made before version 2. */
export const ENVELOPE_VERSIONS = [1, 2] as const;
export type EnvelopeVersion = (typeof ENVELOPE_VERSIONS)[number];
export const CURRENT_ENVELOPE_VERSION: EnvelopeVersion = 2;

/** What a version-2 signature binds: the content together with where it belongs, who signs it and when it was claimed. */
export interface EnvelopeFields {
  docType: string;
  docId: string;
  content: unknown;
  userCode: string;
  recordId: string;
  /** When the signature record was claimed; written as ISO 8601 UTC with milliseconds. */
  claimedAt: Date | string;
}

/** The parts of a stored signature record that its signed bytes are rebuilt from. */
export interface StoredSignedBytes {
  envelopeVersion?: number | null;
  signedContent: string;
  docType: string;
  docId: string;
  userCode: string;
  recordId: string;
  claimedAt?: Date | string | null;
}

export class EnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = EnvelopeError.name;
  }
}

const ISO_UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** RFC 8785 (JCS) canonical JSON of the version-2 envelope: the exact UTF-8 text a new signature signs. */
export function envelopeV2(fields: EnvelopeFields): string {
  for (const name of ['docType', 'docId', 'userCode', 'recordId'] as const) {
    if (typeof fields[name] !== 'string' || fields[name].length === 0) {
      throw new EnvelopeError(`${name} must be a non-empty string`);
    }
  }
  if (fields.content === undefined) throw new EnvelopeError('content is required');
  return jcs({
    v: 2,
    docType: fields.docType,
    docId: fields.docId,
    content: fields.content,
    userCode: fields.userCode,
    recordId: fields.recordId,
    claimedAt: isoMillis(fields.claimedAt),
  });
}

/** The signed bytes of a version, from the content and the record's own fields. */
export function signedText(version: EnvelopeVersion, fields: EnvelopeFields): string {
  return version === 1 ? canonicalJson(fields.content) : envelopeV2(fields);
}

/**
 * Rebuilds a stored record's signed bytes from its own fields, by its format version. Equal to `signedContent` only
 * when the record still says what was signed: for version 2 a changed docId, docType, userCode, record id or claim time
 * gives other bytes.
 */
export function rebuildSignedText(record: StoredSignedBytes): string {
  const version = envelopeVersionOf(record);
  const content = contentOf(record);
  if (version === 1) return canonicalJson(content);
  if (record.claimedAt === undefined || record.claimedAt === null) {
    throw new EnvelopeError('A version-2 record must have claimedAt');
  }
  return envelopeV2({
    docType: record.docType,
    docId: record.docId,
    content,
    userCode: record.userCode,
    recordId: record.recordId,
    claimedAt: record.claimedAt,
  });
}

/** True when the record's fields rebuild exactly the bytes it keeps as signed. */
export function signedTextMatchesRecord(record: StoredSignedBytes): boolean {
  try {
    return rebuildSignedText(record) === record.signedContent;
  } catch (error) {
    if (error instanceof EnvelopeError) return false;
    throw error;
  }
}

/** The document content inside a record's signed bytes. */
export function contentOf(record: Pick<StoredSignedBytes, 'envelopeVersion' | 'signedContent'>): unknown {
  const parsed = parseJson(record.signedContent);
  if (envelopeVersionOf(record) === 1) return parsed;
  if (parsed === null || typeof parsed !== 'object' || !('content' in parsed) || (parsed as { v?: unknown }).v !== 2) {
    throw new EnvelopeError('The signed bytes are not a version-2 envelope');
  }
  return (parsed as { content: unknown }).content;
}

export function envelopeVersionOf(record: Pick<StoredSignedBytes, 'envelopeVersion'>): EnvelopeVersion {
  const version = record.envelopeVersion ?? 1;
  if (!(ENVELOPE_VERSIONS as readonly number[]).includes(version)) {
    throw new EnvelopeError(`Unknown envelope version ${version}`);
  }
  return version as EnvelopeVersion;
}

/** RFC 8785 canonical JSON; refuses what JSON cannot carry instead of silently dropping it. */
export function jcs(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (error) {
    throw new EnvelopeError(`Not canonicalizable: ${(error as Error).message}`);
  }
  if (text === undefined) throw new EnvelopeError('Not canonicalizable: undefined');
  return text;
}

function isoMillis(value: Date | string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new EnvelopeError('claimedAt is not a valid date');
    return value.toISOString();
  }
  if (typeof value !== 'string' || !ISO_UTC_MILLIS.test(value) || !sameInstant(value)) {
    throw new EnvelopeError('claimedAt must be ISO 8601 UTC with milliseconds (YYYY-MM-DDTHH:mm:ss.sssZ)');
  }
  return value;
}

function sameInstant(iso: string): boolean {
  const parsed = new Date(iso);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString() === iso;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new EnvelopeError('The signed bytes are not JSON');
  }
}
