import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: '护理' } })).toBe(
      '{"a":{"c":"护理","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('gives the same bytes for the same content in any key order', () => {
    expect(canonicalJson(JSON.parse('{"id":"D1","score":3,"items":[1,2]}'))).toBe(
      canonicalJson(JSON.parse('{"items":[1,2],"score":3,"id":"D1"}')),
    );
  });

  it('keeps array order and escapes strings as JSON does', () => {
    expect(canonicalJson([2, 1, 'a"b', null, true])).toBe('[2,1,"a\\"b",null,true]');
  });
});
