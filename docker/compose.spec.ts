import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { SECRET_VARIABLES } from '../src/config/secret-files';

/**
 * No Docker engine runs here, so the compose files are checked statically: against the Compose Specification schema
 * that Docker Compose v2 validates with (from the Go module compose-go, see scripts/compose-schema.sh), and for the
 * wiring between services, secrets, volumes and scripts that the schema cannot see.
 */
type Service = {
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  secrets?: (string | { source: string })[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
};
type Compose = { services: Record<string, Service>; secrets?: Record<string, { file: string }>; volumes?: object };

const root = join(__dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const load = (file: string) => parse(read(file)) as Compose;

/** Compose's own merge for the fields these files override: lists of secrets add up, the rest is replaced. */
function merge(base: Compose, override: Compose): Compose {
  const services = { ...base.services };
  for (const [name, service] of Object.entries(override.services)) {
    const merged = { ...services[name], ...service };
    merged.secrets = [...(services[name]?.secrets ?? []), ...(service.secrets ?? [])];
    services[name] = merged;
  }
  return { ...base, services, secrets: { ...base.secrets, ...override.secrets } };
}

const secretNames = (service: Service) => (service.secrets ?? []).map((s) => (typeof s === 'string' ? s : s.source));

function schemaOrReason(): { schema?: object; reason?: string } {
  try {
    const path = execFileSync('bash', [join(root, 'scripts/compose-schema.sh')], { encoding: 'utf8', stdio: 'pipe' });
    return { schema: JSON.parse(readFileSync(path.trim(), 'utf8')) };
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? e).trim();
    return { reason: stderr.split('\n')[0] || 'the Compose schema could not be had' };
  }
}

describe('docker-compose files', () => {
  const base = load('docker-compose.yml');
  const tls = merge(base, load('docker-compose.tls.yml'));
  const stacks: [string, Compose][] = [
    ['docker-compose.yml', base],
    ['docker-compose.yml + docker-compose.tls.yml', tls],
  ];

  describe('against the Compose v2 schema', () => {
    const { schema, reason } = schemaOrReason();
    const itWithSchema = schema ? it : (name: string, fn: () => void) => it.skip(`${name} [SKIPPED: ${reason}]`, fn);
    const validate = schema ? new Ajv2020({ allErrors: true, strict: false }).compile(schema) : undefined;

    for (const file of ['docker-compose.yml', 'docker-compose.tls.yml']) {
      itWithSchema(`${file} is valid`, () => {
        validate!(load(file));
        expect(validate!.errors ?? []).toEqual([]);
      });
    }
    itWithSchema('the merged TLS stack is valid', () => {
      validate!(tls);
      expect(validate!.errors ?? []).toEqual([]);
    });
    itWithSchema('would catch a mistake (a misspelt key)', () => {
      const broken = { ...base, services: { ...base.services, gateway: { ...base.services.gateway, secret: [] } } };
      expect(validate!(broken)).toBe(false);
    });
  });

  describe.each(stacks)('%s', (_name, stack) => {
    it('declares every secret a service uses, as a file under docker/secrets/', () => {
      for (const service of Object.values(stack.services)) {
        for (const secret of secretNames(service)) {
          expect(stack.secrets).toHaveProperty(secret);
          expect(stack.secrets![secret].file).toBe(`./docker/secrets/${basename(stack.secrets![secret].file)}`);
        }
      }
    });

    it('points every *_FILE variable at a secret mounted in that service', () => {
      for (const [name, service] of Object.entries(stack.services)) {
        for (const [variable, value] of Object.entries(service.environment ?? {})) {
          if (!variable.endsWith('_FILE')) continue;
          const secret = /^\/run\/secrets\/([a-z0-9_]+)$/.exec(value)?.[1];
          expect({ service: name, variable, secret }).toEqual({ service: name, variable, secret: expect.any(String) });
          expect(secretNames(service)).toContain(secret);
        }
      }
    });

    it('gives the gateway its secrets only from files, and the database URI and vendor secrets that way', () => {
      const env = stack.services.gateway.environment ?? {};
      for (const secret of SECRET_VARIABLES) expect(env).not.toHaveProperty(secret);
      for (const secret of ['MONGODB_URI', 'COSS_APP_SECRET', 'ANHUI_PASSWORD']) {
        expect(env).toHaveProperty(`${secret}_FILE`);
      }
    });

    it('starts the gateway and the backup only once MongoDB is healthy', () => {
      for (const name of ['gateway', 'backup']) {
        expect(stack.services[name].depends_on).toEqual({ mongo: { condition: 'service_healthy' } });
      }
      expect(stack.services.mongo.healthcheck?.test).toEqual(expect.arrayContaining(['/docker/mongo/healthcheck.js']));
    });

    it('runs MongoDB with access control (a key file and a root user from a secret)', () => {
      const mongo = stack.services.mongo;
      expect(mongo.command).toEqual(expect.arrayContaining(['--keyFile', '/etc/mongo-secrets/mongo_keyfile']));
      expect(mongo.environment).toMatchObject({
        MONGO_INITDB_ROOT_USERNAME: 'root',
        MONGO_INITDB_ROOT_PASSWORD_FILE: '/run/secrets/mongo_root_password',
      });
      expect(mongo.volumes).toContain('./docker/mongo/initdb:/docker-entrypoint-initdb.d:ro');
    });

    it('keeps backups in a declared volume at BACKUP_DIR', () => {
      const backup = stack.services.backup;
      expect(stack.volumes).toHaveProperty('mongo-backups');
      expect(backup.volumes).toContain(`mongo-backups:${backup.environment?.BACKUP_DIR}`);
      expect(backup.entrypoint).toEqual(['bash', '/docker/backup/backup-loop.sh']);
    });

    it('mounts only repository folders that exist', () => {
      for (const service of Object.values(stack.services)) {
        for (const volume of service.volumes ?? []) {
          if (volume.startsWith('./')) expect(existsSync(join(root, volume.split(':')[0]))).toBe(true);
        }
      }
    });
  });

  it('the TLS override requires TLS with files the mongo entrypoint copies from mounted secrets', () => {
    const mongo = tls.services.mongo;
    const flag = (name: string) => mongo.command![mongo.command!.indexOf(name) + 1];
    expect(flag('--tlsMode')).toBe('requireTLS');
    const entrypoint = read('docker/mongo/entrypoint.sh');
    for (const option of ['--tlsCertificateKeyFile', '--tlsCAFile', '--keyFile']) {
      const secret = /^\/etc\/mongo-secrets\/([a-z0-9_]+)$/.exec(flag(option))![1];
      expect(secretNames(mongo)).toContain(secret);
      expect(entrypoint).toMatch(new RegExp(`for name in [^;]*\\b${secret}\\b`));
    }
    expect(tls.services.mongo.healthcheck?.test).toEqual(expect.arrayContaining(['--tls', '--tlsCAFile']));
  });

  it('every ${VARIABLE} the compose files use is documented in .env.example', () => {
    const documented = read('.env.example');
    const used = [read('docker-compose.yml'), read('docker-compose.tls.yml')]
      .flatMap((text) => [...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]))
      .filter((name) => !new RegExp(`^(# )?${name}=`, 'm').test(documented));
    expect(used).toEqual([]);
  });

  describe('with the files docker/make-secrets.sh makes', () => {
    let dir: string;
    const secret = (name: string) => readFileSync(join(dir, name), 'utf8').replace(/\n$/, '');
    beforeAll(() => {
      dir = join(mkdtempSync(join(tmpdir(), 'make-secrets-')), 'secrets');
      execFileSync('bash', [join(root, 'docker/make-secrets.sh'), '--tls', '--trial', dir], { stdio: 'pipe' });
    });
    afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

    it.each(stacks)('every secret file of %s is made', (_name, stack) => {
      for (const { file } of Object.values(stack.secrets!)) expect(existsSync(join(dir, basename(file)))).toBe(true);
    });

    it('the URIs log in as the users the init script makes, with their passwords, on the mnis database', () => {
      const users = read('docker/mongo/initdb/10-users.js');
      for (const [uriFile, user, passwordFile] of [
        ['mongodb_uri', 'mnis_app', 'mongo_app_password'],
        ['mongodb_backup_uri', 'mnis_backup', 'mongo_backup_password'],
      ]) {
        const uri = new URL(secret(uriFile));
        expect([uri.username, uri.password, uri.pathname]).toEqual([user, secret(passwordFile), '/mnis']);
        expect(uri.searchParams.get('authSource')).toBe('mnis');
        expect(uri.searchParams.get('replicaSet')).toBe('rs0');
        expect(users).toContain(`user: '${user}'`);
        expect(base.services.mongo.environment).toHaveProperty(
          users.match(new RegExp(`user: '${user}', pwd: secret\\('([A-Z_]+)'\\)`))![1],
          `/run/secrets/${passwordFile}`,
        );
      }
    });

    it('the TLS URIs trust the CA file the TLS stack mounts', () => {
      for (const [uriFile, service] of [
        ['mongodb_uri_tls', 'gateway'],
        ['mongodb_backup_uri_tls', 'backup'],
      ]) {
        const uri = new URL(secret(uriFile));
        expect(uri.searchParams.get('tls')).toBe('true');
        const ca = /^\/run\/secrets\/([a-z0-9_]+)$/.exec(uri.searchParams.get('tlsCAFile')!)![1];
        expect(secretNames(tls.services[service])).toContain(ca);
      }
      expect(tls.secrets!.mongodb_uri.file).toBe('./docker/secrets/mongodb_uri_tls');
      expect(tls.secrets!.mongodb_backup_uri.file).toBe('./docker/secrets/mongodb_backup_uri_tls');
    });

    it('the TLS certificate names the hosts the clients connect to, and chains to the CA', () => {
      const certificate = secret('mongo_tls_pem');
      expect(certificate).toContain('PRIVATE KEY');
      const server = new X509Certificate(certificate);
      expect(server.checkHost('mongo')).toBe('mongo');
      expect(server.checkHost('localhost')).toBe('localhost');
      expect(server.verify(new X509Certificate(secret('mongo_ca_pem')).publicKey)).toBe(true);
    });
  });
});
