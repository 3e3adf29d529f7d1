import { jsonDeeperThan } from './json-depth';

describe(jsonDeeperThan.name, () => {
  const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

  it('counts objects and arrays as levels', () => {
    expect(jsonDeeperThan('{"a":{"b":[1]}}', 3)).toBe(false);
    expect(jsonDeeperThan('{"a":{"b":[1]}}', 2)).toBe(true);
    expect(jsonDeeperThan(nested(64), 64)).toBe(false);
    expect(jsonDeeperThan(nested(65), 64)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDeeperThan(JSON.stringify({ a: '[[[[{{{{', b: 'x\\"[[[[' }), 1)).toBe(false);
    expect(jsonDeeperThan(JSON.stringify({ a: '"' }) + '', 1)).toBe(false);
  });

  it('scans 100 000 levels without recursion', () => {
    expect(jsonDeeperThan(nested(100_000), 64)).toBe(true);
  });
});
