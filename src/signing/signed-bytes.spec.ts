import { Types } from 'mongoose';
import { sm3Hex } from '../crypto';
import { envelopeV2 } from '../evidence/envelope';
import type { StoredRecord } from './schemas/ca-extended-data.schema';
import { contentDigest, documentContentJson, signedBytesProblem } from './signed-bytes';

const content = { id: 'D-1', dose: '5mg' };

function v2Record(): StoredRecord {
  const _id = new Types.ObjectId();
  const claimedAt = new Date('2026-11-30T09:05:07.042Z');
  const fields = { docType: 'document', docId: 'D-1', userCode: 'N1' };
  return {
    ...fields,
    _id,
    envelopeVersion: 2,
    claimedAt,
    signedContent: envelopeV2({ ...fields, content, recordId: String(_id), claimedAt }),
    contentDigestSm3: contentDigest(content),
  } as StoredRecord;
}

describe(signedBytesProblem.name, () => {
  it('accepts a version-2 record whose fields rebuild its envelope', () => {
    expect(signedBytesProblem(v2Record())).toBeUndefined();
    expect(documentContentJson(v2Record())).toBe('{"dose":"5mg","id":"D-1"}');
  });

  it('refuses a version-2 record moved to another document, type, signer or record', () => {
    expect(signedBytesProblem({ ...v2Record(), docId: 'D-2' })).toBe('ENVELOPE_MISMATCH');
    expect(signedBytesProblem({ ...v2Record(), docType: 'riskAssessment' })).toBe('ENVELOPE_MISMATCH');
    expect(signedBytesProblem({ ...v2Record(), userCode: 'N2' })).toBe('ENVELOPE_MISMATCH');
    expect(signedBytesProblem({ ...v2Record(), _id: new Types.ObjectId() })).toBe('ENVELOPE_MISMATCH');
    expect(signedBytesProblem({ ...v2Record(), signedContent: 'not json' })).toBe('ENVELOPE_MISMATCH');
  });

  it('refuses content that no longer matches its digest', () => {
    const record = v2Record();
    expect(signedBytesProblem({ ...record, signedContent: record.signedContent.replace('5mg', '50mg') })).toBe(
      'CONTENT_DIGEST_MISMATCH',
    );
  });

  it('checks a version-1 record (no envelopeVersion) by the digest of its bytes alone', () => {
    const signedContent = '{"dose":"5mg","id":"D-1"}';
    const v1 = { docType: 'document', docId: 'D-1', userCode: 'N1', _id: new Types.ObjectId(), signedContent };
    const record = { ...v1, contentDigestSm3: sm3Hex(Buffer.from(signedContent)) } as StoredRecord;
    expect(signedBytesProblem(record)).toBeUndefined();
    expect(signedBytesProblem({ ...record, docId: 'D-2' })).toBeUndefined();
    expect(signedBytesProblem({ ...record, signedContent: '{"dose":"50mg","id":"D-1"}' })).toBe(
      'CONTENT_DIGEST_MISMATCH',
    );
    expect(documentContentJson(record)).toBe(signedContent);
  });
});
