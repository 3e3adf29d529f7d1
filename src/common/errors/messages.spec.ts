import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueMessage, ERROR_MESSAGES, fieldsMessageZh, negotiateLocale } from './messages';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'simulators' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('error message catalogue', () => {
  it('has a Chinese and an English message for every error type the gateway raises', () => {
    const types = new Set<string>();
    for (const file of sourceFiles(join(__dirname, '../..'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/readonly type(?:: string)? = '([A-Z_]+)'/g)) {
        types.add(match[1]);
      }
    }
    expect(types.size).toBeGreaterThan(10);
    const missing = [...types].filter((type) => !ERROR_MESSAGES[type]?.['zh-CN'] || !ERROR_MESSAGES[type]?.en);
    expect(missing).toEqual([]);
  });

  it('falls back by status for a type it does not know', () => {
    expect(catalogueMessage('SOMETHING_NEW', 'zh-CN', 400)).toBe('请求无效');
    expect(catalogueMessage('SOMETHING_NEW', 'en', 503)).toBe('Internal error');
  });

  it('names every field of a validation error in Chinese', () => {
    expect(
      fieldsMessageZh([
        { field: 'userCode', problems: ['x'], constraints: ['matches'] },
        { field: 'docData.id', problems: ['y'] },
      ]),
    ).toBe('请求参数无效：userCode（格式不正确）；docData.id（取值无效）');
  });
});

describe(negotiateLocale.name, () => {
  it.each([
    [undefined, 'zh-CN', 'zh-CN'],
    ['en', 'zh-CN', 'en'],
    ['en-GB,en;q=0.9', 'zh-CN', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'en', 'zh-CN'],
    ['zh-TW', 'en', 'zh-CN'],
    ['en;q=0.2, zh;q=0.8', 'en', 'zh-CN'],
    ['fr, de', 'en', 'en'],
    ['en;q=0, fr', 'zh-CN', 'zh-CN'],
    ['*', 'zh-CN', 'zh-CN'],
  ] as const)('%s (default %s) -> %s', (header, fallback, expected) => {
    expect(negotiateLocale(header, fallback)).toBe(expected);
  });
});
