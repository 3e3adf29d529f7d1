import { canonicalJson } from '../../signing/canonical-json';
import {
  contentOf,
  EnvelopeError,
  envelopeV2,
  jcs,
  rebuildSignedText,
  signedText,
  signedTextMatchesRecord,
  StoredSignedBytes,
} from './signed-envelope';

const fields = {
  docType: 'nursingRecord',
  docId: 'D-1001',
  content: { score: 3, id: 'D-1001', items: [{ b: 2, a: '护理' }] },
  userCode: 'N0042',
  recordId: '6745a1f0c2b4d3e8f9a01234',
  claimedAt: new Date(Date.UTC(2026, 10, 30, 9, 5, 7, 42)),
};

function double(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0);
}

describe('RFC 8785 canonical JSON (jcs)', () => {
  it('formats numbers as RFC 8785 Appendix B says', () => {
    const vectors: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555557', '333333333.33333343'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [hex, text] of vectors) expect([hex, jcs(double(hex))]).toEqual([hex, text]);
  });

  it('refuses NaN and Infinity (RFC 8785 §3.2.2.3)', () => {
    expect(() => jcs({ a: NaN })).toThrow(EnvelopeError);
    expect(() => jcs([Infinity])).toThrow(EnvelopeError);
  });

  it('reproduces the RFC 8785 §3.2.2 example: literals, numbers and string escaping', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(jcs(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units (RFC 8785 §3.2.3), so an emoji sorts before U+FB33', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Integer-like keys would come first in a JS object's own order; JCS sorts "1" after "\r" like any string.
    expect(jcs(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });
});

describe(envelopeV2.name, () => {
  it('signs type, id, content, signer, record and claim time as one JCS object', () => {
    expect(envelopeV2(fields)).toBe(
      '{"claimedAt":"2026-11-30T09:05:07.042Z","content":{"id":"D-1001","items":[{"a":"护理","b":2}],"score":3},' +
        '"docId":"D-1001","docType":"nursingRecord","recordId":"6745a1f0c2b4d3e8f9a01234","userCode":"N0042","v":2}',
    );
  });

  it('gives other bytes for the same content on another document, signer or record', () => {
    const base = envelopeV2(fields);
    expect(envelopeV2({ ...fields, docId: 'D-1002' })).not.toBe(base);
    expect(envelopeV2({ ...fields, docType: 'riskAssessment' })).not.toBe(base);
    expect(envelopeV2({ ...fields, userCode: 'N0043' })).not.toBe(base);
    expect(envelopeV2({ ...fields, recordId: '6745a1f0c2b4d3e8f9a01235' })).not.toBe(base);
  });

  it('accepts claimedAt as ISO 8601 UTC with milliseconds only', () => {
    expect(envelopeV2({ ...fields, claimedAt: '2026-11-30T09:05:07.042Z' })).toBe(envelopeV2(fields));
    for (const claimedAt of ['2026-11-30T09:05:07Z', '2026-11-30T17:05:07.042+08:00', '2026-02-30T00:00:00.000Z']) {
      expect(() => envelopeV2({ ...fields, claimedAt })).toThrow(EnvelopeError);
    }
    expect(() => envelopeV2({ ...fields, claimedAt: new Date(NaN) })).toThrow(EnvelopeError);
  });

  it('refuses an empty identity field or missing content', () => {
    expect(() => envelopeV2({ ...fields, userCode: '' })).toThrow('userCode');
    expect(() => envelopeV2({ ...fields, content: undefined })).toThrow('content');
  });
});

describe(rebuildSignedText.name, () => {
  const v2Record: StoredSignedBytes = {
    envelopeVersion: 2,
    signedContent: envelopeV2(fields),
    docType: fields.docType,
    docId: fields.docId,
    userCode: fields.userCode,
    recordId: fields.recordId,
    claimedAt: fields.claimedAt,
  };

  it('rebuilds a version-2 record byte for byte from its own fields', () => {
    expect(rebuildSignedText(v2Record)).toBe(v2Record.signedContent);
    expect(signedTextMatchesRecord(v2Record)).toBe(true);
    expect(contentOf(v2Record)).toEqual(fields.content);
  });

  it('no longer matches when the record is moved to another document, signer, record or time', () => {
    expect(signedTextMatchesRecord({ ...v2Record, docId: 'D-1002' })).toBe(false);
    expect(signedTextMatchesRecord({ ...v2Record, userCode: 'N0043' })).toBe(false);
    expect(signedTextMatchesRecord({ ...v2Record, recordId: '6745a1f0c2b4d3e8f9a01235' })).toBe(false);
    expect(signedTextMatchesRecord({ ...v2Record, claimedAt: new Date(fields.claimedAt.getTime() + 1) })).toBe(false);
    expect(signedTextMatchesRecord({ ...v2Record, claimedAt: undefined })).toBe(false);
  });

  it('keeps rebuilding records made before version 2 (no envelopeVersion) as the content alone', () => {
    // Stored by the v1 signing flow: canonicalJson(doc.content), nothing else.
    const v1Record: StoredSignedBytes = {
      signedContent: '{"id":"D-1001","items":[{"a":"护理","b":2}],"score":3}',
      docType: 'nursingRecord',
      docId: 'D-1001',
      userCode: 'N0042',
      recordId: '6745a1f0c2b4d3e8f9a01234',
    };
    expect(rebuildSignedText(v1Record)).toBe(v1Record.signedContent);
    expect(rebuildSignedText({ ...v1Record, envelopeVersion: 1 })).toBe(v1Record.signedContent);
    expect(signedText(1, fields)).toBe(canonicalJson(fields.content));
    expect(signedText(1, fields)).toBe(v1Record.signedContent);
    expect(contentOf(v1Record)).toEqual(fields.content);
  });

  it('refuses an unknown version or bytes that are not its envelope', () => {
    expect(() => rebuildSignedText({ ...v2Record, envelopeVersion: 3 })).toThrow('Unknown envelope version 3');
    expect(signedTextMatchesRecord({ ...v2Record, signedContent: '{"id":"D-1001"}' })).toBe(false);
    expect(signedTextMatchesRecord({ ...v2Record, signedContent: 'not json' })).toBe(false);
  });
});
