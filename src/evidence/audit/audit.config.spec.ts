import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAuditConfig } from './audit.config';

const key32 = 'k'.repeat(32);

describe(loadAuditConfig.name, () => {
  it('refuses production without a key, naming the variable', () => {
    expect(() => loadAuditConfig({ NODE_ENV: 'production' })).toThrow(
      /AUDIT_HMAC_KEY \(or AUDIT_HMAC_KEY_FILE\) is required/,
    );
  });

  it('refuses a key under 32 bytes, without printing it', () => {
    const attempt = () =>
      loadAuditConfig({ NODE_ENV: 'production', AUDIT_HMAC_KEY: 'short-secret', AUDIT_HMAC_KEY_ID: 'k1' });
    expect(attempt).toThrow(/AUDIT_HMAC_KEY must be at least 32 bytes \(it has 12\)/);
    expect(attempt).not.toThrow(/short-secret/);
  });

  it('counts bytes, not characters', () => {
    expect(() => loadAuditConfig({ AUDIT_HMAC_KEY: '护'.repeat(11) })).not.toThrow();
    expect(() => loadAuditConfig({ AUDIT_HMAC_KEY: '护'.repeat(10) })).toThrow(/at least 32 bytes \(it has 30\)/);
  });

  it('asks production for the key id that names the key in every entry', () => {
    expect(() => loadAuditConfig({ NODE_ENV: 'production', AUDIT_HMAC_KEY: key32 })).toThrow(
      /AUDIT_HMAC_KEY_ID is required/,
    );
    const config = loadAuditConfig({ NODE_ENV: 'production', AUDIT_HMAC_KEY: key32, AUDIT_HMAC_KEY_ID: '2026-11' });
    expect(config.current).toEqual({ id: '2026-11', key: Buffer.from(key32) });
    expect(config.developmentKey).toBe(false);
    expect(config.anchorIntervalMs).toBe(600_000);
  });

  it('reads the key from AUDIT_HMAC_KEY_FILE without its final newline, and refuses both at once', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'audit-key-')), 'key');
    writeFileSync(file, `${key32}\n`);
    expect(loadAuditConfig({ AUDIT_HMAC_KEY_FILE: file }).current.key).toEqual(Buffer.from(key32));
    expect(() => loadAuditConfig({ AUDIT_HMAC_KEY_FILE: file, AUDIT_HMAC_KEY: key32 })).toThrow(/not both/);
    expect(() => loadAuditConfig({ AUDIT_HMAC_KEY_FILE: `${file}.missing` })).toThrow(
      /AUDIT_HMAC_KEY_FILE cannot be read \(ENOENT\)/,
    );
  });

  it('keeps previous keys by id for entries made before a rotation', () => {
    const config = loadAuditConfig({
      AUDIT_HMAC_KEY: key32,
      AUDIT_HMAC_KEY_ID: 'k2',
      AUDIT_HMAC_PREVIOUS_KEYS: JSON.stringify({ k1: 'o'.repeat(32) }),
    });
    expect([...config.keys.keys()].sort()).toEqual(['k1', 'k2']);
    expect(config.keys.get('k1')).toEqual(Buffer.from('o'.repeat(32)));
  });

  it('refuses malformed previous keys and a previous key that reuses the current id', () => {
    expect(() => loadAuditConfig({ AUDIT_HMAC_PREVIOUS_KEYS: '[1]' })).toThrow(
      /AUDIT_HMAC_PREVIOUS_KEYS must be a JSON object/,
    );
    expect(() => loadAuditConfig({ AUDIT_HMAC_PREVIOUS_KEYS: '{"k1":"short"}' })).toThrow(
      /AUDIT_HMAC_PREVIOUS_KEYS\["k1"\]/,
    );
    expect(() =>
      loadAuditConfig({
        AUDIT_HMAC_KEY: key32,
        AUDIT_HMAC_KEY_ID: 'k1',
        AUDIT_HMAC_PREVIOUS_KEYS: JSON.stringify({ k1: 'o'.repeat(32) }),
      }),
    ).toThrow(/names "k1", the id of the current key/);
  });

  it('uses the built-in development key only outside production, and validates the anchor interval', () => {
    const config = loadAuditConfig({ NODE_ENV: 'development', AUDIT_ANCHOR_INTERVAL_SECONDS: '60' });
    expect(config.developmentKey).toBe(true);
    expect(config.anchorIntervalMs).toBe(60_000);
    expect(() => loadAuditConfig({ AUDIT_ANCHOR_INTERVAL_SECONDS: '1' })).toThrow(/AUDIT_ANCHOR_INTERVAL_SECONDS/);
  });
});
