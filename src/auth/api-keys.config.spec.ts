import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateEnvironment } from '../config/environment';
import { ApiKeysConfigError, loadApiKeys, parseApiKeys } from './api-keys.config';
import { ApiKeyring, grants } from './api-keyring';

const SECRET = 'a-long-enough-secret-0001';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe(parseApiKeys.name, () => {
  it('keeps only the SHA-256 of each secret, from "key" or "sha256"', () => {
    const keys = parseApiKeys(
      JSON.stringify([
        { id: 'docs', key: SECRET, scopes: ['read'] },
        { id: 'ops', sha256: sha('other-secret-000000001'), scopes: ['admin', 'admin'] },
      ]),
      'API_KEYS',
    );
    expect(keys.map((k) => [k.id, k.sha256.toString('hex'), k.scopes])).toEqual([
      ['docs', sha(SECRET), ['read']],
      ['ops', sha('other-secret-000000001'), ['admin']],
    ]);
    expect(JSON.stringify(keys)).not.toContain(SECRET);
  });

  it.each([
    ['not json', /API_KEYS is not valid JSON/],
    ['[]', /non-empty JSON array/],
    [JSON.stringify([{ id: 'a b', key: SECRET, scopes: [] }]), /API_KEYS\[0\]\.id/],
    [JSON.stringify([{ id: 'a', scopes: ['read'] }]), /key "a" needs exactly one of "key" and "sha256"/],
    [JSON.stringify([{ id: 'a', key: SECRET, sha256: sha(SECRET), scopes: [] }]), /exactly one/],
    [JSON.stringify([{ id: 'a', key: 'short', scopes: ['read'] }]), /at least 16 characters/],
    [JSON.stringify([{ id: 'a', sha256: 'abc', scopes: ['read'] }]), /64 hex digits/],
    [JSON.stringify([{ id: 'a', key: SECRET, scopes: ['write'] }]), /"scopes" must be an array of read, admin/],
    [
      JSON.stringify([
        { id: 'a', key: SECRET, scopes: ['read'] },
        { id: 'a', key: `${SECRET}x`, scopes: ['read'] },
      ]),
      /used twice/,
    ],
  ])('refuses %s, naming the variable and never the secret', (text, why) => {
    let error: unknown;
    try {
      parseApiKeys(text, 'API_KEYS');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiKeysConfigError);
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).not.toContain(SECRET);
  });
});

describe('API_KEYS_FILE', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mnis-keys-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const keysFrom = (env: Record<string, string>) => loadApiKeys(validateEnvironment(env));

  it('is read like every secret file, and its content is checked as API_KEYS without being shown', () => {
    const file = join(dir, 'keys.json');
    writeFileSync(file, `${JSON.stringify([{ id: 'docs', key: SECRET, scopes: ['read'] }])}\n`);
    expect(keysFrom({ API_KEYS_FILE: file })?.map((k) => k.id)).toEqual(['docs']);
    writeFileSync(file, `[{"id":"docs","key":"${SECRET}"`);
    expect(() => keysFrom({ API_KEYS_FILE: file })).toThrow(/API_KEYS is not valid JSON/);
    expect(() => keysFrom({ API_KEYS_FILE: file })).not.toThrow(new RegExp(SECRET));
    expect(() => keysFrom({ API_KEYS_FILE: join(dir, 'missing.json') })).toThrow(/API_KEYS_FILE=.*missing/);
  });

  it('is none when neither is set, and refuses both at once', () => {
    expect(loadApiKeys({})).toBeUndefined();
    expect(() => keysFrom({ API_KEYS: '[]', API_KEYS_FILE: join(dir, 'keys.json') })).toThrow(
      /API_KEYS and API_KEYS_FILE are both set/,
    );
  });
});

describe(ApiKeyring.name, () => {
  const keyring = new ApiKeyring(
    parseApiKeys(
      JSON.stringify([
        { id: 'docs', key: SECRET, scopes: ['read'] },
        { id: 'ops', sha256: sha('admin-secret-000000001'), scopes: ['admin'] },
      ]),
      'API_KEYS',
    ),
  );

  it('finds a key by its secret only', () => {
    expect(keyring.find(SECRET)?.id).toBe('docs');
    expect(keyring.find('admin-secret-000000001')?.id).toBe('ops');
    expect(keyring.find(SECRET.toUpperCase())).toBeUndefined();
    expect(keyring.find('')).toBeUndefined();
    expect(keyring.open).toBe(false);
    expect(new ApiKeyring(undefined).open).toBe(true);
  });

  it('lets admin hold read', () => {
    expect(grants(keyring.find('admin-secret-000000001')!, 'read')).toBe(true);
    expect(grants(keyring.find(SECRET)!, 'admin')).toBe(false);
  });
});
