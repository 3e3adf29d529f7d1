import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The backup service's script, run here with bash and a stand-in `mongodump` on PATH (no MongoDB tools or engine on
 * this machine): it checks what the script owns, i.e. naming, retention, failure handling and how the URI is passed.
 */
describe('docker/backup/backup-loop.sh', () => {
  const script = join(__dirname, 'backup-loop.sh');
  const uri = 'mongodb://mnis_backup:s3cret-pw@mongo:27017/mnis?replicaSet=rs0&authSource=mnis';
  let dir: string;
  let backups: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'backup-loop-'));
    backups = join(dir, 'backups');
    mkdirSync(join(dir, 'bin'));
    mkdirSync(backups);
    writeFileSync(join(dir, 'uri'), `${uri}\n`);
    // Records its arguments and its --config file, then writes the archive (or fails when told to).
    const stub = [
      '#!/usr/bin/env bash',
      `printf '%s\\n' "$@" > ${dir}/argv`,
      'for a in "$@"; do case "$a" in --config=*) cp "${a#--config=}" ' +
        `${dir}/config ;; --archive=*) archive="\${a#--archive=}" ;; esac; done`,
      '[ -n "${STUB_FAIL:-}" ] && { echo partial > "$archive"; exit 1; }',
      'echo dump > "$archive"',
    ].join('\n');
    writeFileSync(join(dir, 'bin', 'mongodump'), stub);
    chmodSync(join(dir, 'bin', 'mongodump'), 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (env: Record<string, string> = {}) =>
    spawnSync('bash', [script], {
      encoding: 'utf8',
      env: {
        PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
        BACKUP_URI_FILE: join(dir, 'uri'),
        BACKUP_DIR: backups,
        BACKUP_ONCE: '1',
        ...env,
      },
    });
  const archives = () => readdirSync(backups).sort();

  it('dumps the database into a time-named gzip archive, with the URI in a private config file', () => {
    const result = run();
    expect(result.status).toBe(0);
    expect(archives()).toEqual([expect.stringMatching(/^mnis-\d{8}T\d{6}Z\.archive\.gz$/)]);
    const argv = readFileSync(join(dir, 'argv'), 'utf8').split('\n');
    expect(argv).toEqual(expect.arrayContaining(['--db=mnis', '--gzip', '--quiet']));
    expect(argv.join(' ')).not.toContain('s3cret-pw');
    expect(readFileSync(join(dir, 'config'), 'utf8')).toBe(`uri: "${uri}"\n`);
    expect(result.stdout).not.toContain('s3cret-pw');
  });

  it('keeps the newest BACKUP_KEEP archives', () => {
    const old = ['mnis-20260101T000000Z', 'mnis-20260102T000000Z', 'mnis-20260103T000000Z', 'mnis-20260104T000000Z'];
    old.forEach((name) => writeFileSync(join(backups, `${name}.archive.gz`), 'old'));
    writeFileSync(join(backups, 'unrelated.txt'), 'kept');
    const result = run({ BACKUP_KEEP: '3' });
    expect(result.status).toBe(0);
    const left = archives();
    expect(left).toHaveLength(4);
    expect(left).toContain('unrelated.txt');
    expect(left).toEqual(
      expect.arrayContaining(['mnis-20260103T000000Z.archive.gz', 'mnis-20260104T000000Z.archive.gz']),
    );
    expect(left).not.toContain('mnis-20260102T000000Z.archive.gz');
    expect(result.stdout).toContain('removed mnis-20260101T000000Z.archive.gz (BACKUP_KEEP=3)');
  });

  it('leaves no partial archive and removes no old one when mongodump fails', () => {
    writeFileSync(join(backups, 'mnis-20260101T000000Z.archive.gz'), 'old');
    const result = run({ STUB_FAIL: '1', BACKUP_KEEP: '1' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('mongodump failed; the previous archives are kept');
    expect(archives()).toEqual(['mnis-20260101T000000Z.archive.gz']);
  });

  it('refuses a bad BACKUP_KEEP or a missing URI file, naming the variable', () => {
    expect(run({ BACKUP_KEEP: '0' }).stderr).toContain('BACKUP_KEEP must be a positive whole number');
    expect(run({ BACKUP_URI_FILE: join(dir, 'absent') }).stderr).toContain('BACKUP_URI_FILE must name a readable file');
    expect(existsSync(join(dir, 'argv'))).toBe(false);
  });
});
