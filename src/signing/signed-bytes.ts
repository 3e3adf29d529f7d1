import { sm3Hex } from '../crypto';
import {
  contentOf,
  EnvelopeError,
  envelopeVersionOf,
  signedTextMatchesRecord,
  StoredSignedBytes,
} from '../evidence/envelope';
import { canonicalJson } from './canonical-json';
import type { StoredRecord } from './schemas/ca-extended-data.schema';

export type SignedBytesProblem = 'ENVELOPE_MISMATCH' | 'CONTENT_DIGEST_MISMATCH';

/** The fields a record's signed bytes are rebuilt from, by the envelope's own names. */
export function storedSignedBytes(record: StoredRecord): StoredSignedBytes {
  return {
    envelopeVersion: record.envelopeVersion,
    signedContent: record.signedContent,
    docType: record.docType,
    docId: record.docId,
    userCode: record.userCode,
    recordId: String(record._id),
    claimedAt: record.claimedAt,
  };
}

/**
 * Why a record's signed bytes no longer say what the record claims was signed, or undefined when they do. Version 2:
 * the record's own fields must rebuild the envelope byte for byte, so a signature moved onto another document, signer
 * or record fails here even when the content is the same. Both versions: the content must match its digest.
 */
export function signedBytesProblem(record: StoredRecord): SignedBytesProblem | undefined {
  const text = record.signedContent ?? '';
  try {
    if (envelopeVersionOf(record) === 1) {
      return sm3Hex(Buffer.from(text, 'utf8')) === record.contentDigestSm3 ? undefined : 'CONTENT_DIGEST_MISMATCH';
    }
    if (!signedTextMatchesRecord(storedSignedBytes(record))) return 'ENVELOPE_MISMATCH';
    return contentDigest(contentOf(record)) === record.contentDigestSm3 ? undefined : 'CONTENT_DIGEST_MISMATCH';
  } catch (error) {
    if (error instanceof EnvelopeError) return 'ENVELOPE_MISMATCH';
    throw error;
  }
}

/** SM3 of the content's canonical JSON: a record's contentDigestSm3, the same for both envelope versions. */
export function contentDigest(content: unknown): string {
  return sm3Hex(Buffer.from(canonicalJson(content), 'utf8'));
}

/** The document's content as canonical JSON, the text `contentDigestSm3` is over, whatever envelope signed it. */
export function documentContentJson(record: StoredRecord): string {
  if (envelopeVersionOf(record) === 1) return record.signedContent;
  return canonicalJson(contentOf(record));
}
