import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CA_VENDORS } from '../ca/vendors';
import { AnhuiEnvironment } from '../ca/vendors/anhui/anhui.config';
import { ConfigValidationError, parseVariables, validateEnvironment } from './environment';
import { readSecretFiles, SECRET_VARIABLES } from './secret-files';

describe('readSecretFiles', () => {
  let dir: string;
  const secretFile = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'secret-files-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each(SECRET_VARIABLES)('reads %s from the file its _FILE variable names, without the trailing newline', (name) => {
    const { env, problems } = readSecretFiles({ [`${name}_FILE`]: secretFile('s', 'mongodb://u:p w@db/x\n') });
    expect(problems).toEqual([]);
    expect(env[name]).toBe('mongodb://u:p w@db/x');
    expect(env).not.toHaveProperty(`${name}_FILE`);
  });

  it('trims only one line ending (CRLF too) and keeps other whitespace', () => {
    const { env } = readSecretFiles({ ANHUI_PASSWORD_FILE: secretFile('p', ' pass \r\n') });
    expect(env.ANHUI_PASSWORD).toBe(' pass ');
  });

  it('refuses the variable and its _FILE set at once, naming both', () => {
    const { problems } = readSecretFiles({ COSS_APP_SECRET: 'x', COSS_APP_SECRET_FILE: secretFile('s', 'y') });
    expect(problems).toEqual(['COSS_APP_SECRET and COSS_APP_SECRET_FILE are both set: give only one']);
  });

  it('names the variable when its file is missing or empty', () => {
    const missing = join(dir, 'absent');
    expect(readSecretFiles({ ANHUI_PASSWORD_FILE: missing }).problems).toEqual([
      `ANHUI_PASSWORD_FILE=${JSON.stringify(missing)}: cannot read the file (ENOENT)`,
    ]);
    expect(readSecretFiles({ ANHUI_PASSWORD_FILE: secretFile('e', '\n') }).problems[0]).toMatch(
      /^ANHUI_PASSWORD_FILE=.*: the file is empty$/,
    );
  });

  it('treats an empty _FILE as unset and leaves other variables alone', () => {
    const raw = { ANHUI_PASSWORD: 'plain', ANHUI_PASSWORD_FILE: '', PORT: '3000' };
    expect(readSecretFiles(raw)).toEqual({ env: { ANHUI_PASSWORD: 'plain', PORT: '3000' }, problems: [] });
  });

  it('ignores _FILE for a variable that is not a secret', () => {
    expect(readSecretFiles({ PORT_FILE: secretFile('p', '1') }).env).toEqual({ PORT_FILE: expect.any(String) });
  });

  describe('in the configuration', () => {
    const production = {
      NODE_ENV: 'production',
      CA_PROVIDERS: 'anhui',
      ANHUI_SCAN_BASE_URL: 'https://scan',
      ANHUI_TRUSTED_ROOTS: '/run/ca-roots/anhui-root.pem',
    };

    it('satisfies production with secrets from files, for the gateway and for a vendor', () => {
      const raw = {
        ...production,
        MONGODB_URI_FILE: secretFile('uri', 'mongodb://app:pw@mongo:27017/mnis?replicaSet=rs0\n'),
        ANHUI_ACCOUNT_NAME: 'hospital',
        ANHUI_PASSWORD_FILE: secretFile('pw', 'from-a-file\n'),
        API_KEYS_FILE: secretFile('keys', '[{"id":"docs","key":"read-secret-00000000001","scopes":["read"]}]\n'),
        TRUST_PROXY: '10.0.0.5',
      };
      expect(validateEnvironment(raw, CA_VENDORS).MONGODB_URI).toBe('mongodb://app:pw@mongo:27017/mnis?replicaSet=rs0');
      expect(parseVariables(AnhuiEnvironment, raw).ANHUI_PASSWORD).toBe('from-a-file');
      expect(validateEnvironment(raw, CA_VENDORS).API_KEYS).toContain('"id":"docs"');
    });

    it('stops start-up naming an unreadable secret file, once', () => {
      const run = () => validateEnvironment({ ANHUI_PASSWORD_FILE: join(dir, 'absent') }, CA_VENDORS);
      expect(run).toThrow(/ANHUI_PASSWORD_FILE=.*cannot read the file \(ENOENT\)/);
      expect(run).not.toThrow(/ENOENT[^]*ENOENT/);
    });

    it('never shows a secret in a configuration error', () => {
      const run = () => validateEnvironment({ COSS_APP_SECRET_FILE: secretFile('s', 'short7!') }, CA_VENDORS);
      expect(run).toThrow(ConfigValidationError);
      expect(run).toThrow(/COSS_APP_SECRET=\(secret, not shown\): COSS_APP_SECRET must be longer/);
      expect(run).not.toThrow(/short7!/);
      expect(() => validateEnvironment({ MONGODB_URI: 'postgres://user:hunter2@x' })).not.toThrow(/hunter2/);
    });
  });
});
