import { readFileSync } from 'node:fs';
import { registerAs } from '@nestjs/config';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsJSON, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { ConfigValidationError } from '../../config/environment';

export const MIN_AUDIT_KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** Development only: a known key keeps a development chain verifiable across restarts. Production refuses it. */
const DEVELOPMENT_KEY = {
  id: 'development',
  key: Buffer.from('mnis-ca-gateway development audit key, NOT FOR PRODUCTION'),
};

/** The audit chain's variables, validated at start-up. */
export class AuditEnvironment {
  @IsOptional()
  @IsIn(['development', 'test', 'production'])
  NODE_ENV?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  AUDIT_HMAC_KEY?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  AUDIT_HMAC_KEY_FILE?: string;

  @IsOptional()
  @Matches(KEY_ID, { message: 'AUDIT_HMAC_KEY_ID must be 1-64 letters, digits, ".", "_" or "-"' })
  AUDIT_HMAC_KEY_ID?: string;

  @IsOptional()
  @IsJSON({ message: 'AUDIT_HMAC_PREVIOUS_KEYS must be a JSON object of key id to key' })
  AUDIT_HMAC_PREVIOUS_KEYS?: string;

  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(86400)
  AUDIT_ANCHOR_INTERVAL_SECONDS?: number;
}

export interface AuditKey {
  id: string;
  key: Buffer;
}

export interface AuditConfig {
  /** Seals new entries. */
  current: AuditKey;
  /** Every key an entry may name, the current one included. */
  keys: Map<string, Buffer>;
  /** True when the built-in development key is in use. */
  developmentKey: boolean;
  anchorIntervalMs: number;
}

/** Reads and checks the audit variables; throws naming each bad one. */
export function loadAuditConfig(raw: Record<string, string | undefined>): AuditConfig {
  const known = Object.fromEntries(Object.entries(raw).filter(([name, value]) => value !== '' && name in SHAPE));
  const env = plainToInstance(AuditEnvironment, known, { enableImplicitConversion: true });
  const problems = validateSync(env).map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
  const production = env.NODE_ENV === 'production';
  let current: AuditKey | undefined;
  let previous = new Map<string, Buffer>();
  if (problems.length === 0) {
    const secret = readCurrentKey(env, problems);
    if (secret !== undefined) {
      if (secret.length < MIN_AUDIT_KEY_BYTES) {
        problems.push(`AUDIT_HMAC_KEY must be at least ${MIN_AUDIT_KEY_BYTES} bytes (it has ${secret.length})`);
      }
      if (production && !env.AUDIT_HMAC_KEY_ID) {
        problems.push('AUDIT_HMAC_KEY_ID is required in production (it names the key in every entry, for rotation)');
      }
      current = { id: env.AUDIT_HMAC_KEY_ID ?? 'k1', key: secret };
    } else if (production) {
      problems.push('AUDIT_HMAC_KEY (or AUDIT_HMAC_KEY_FILE) is required in production: it seals the audit chain');
    }
    previous = readPreviousKeys(env.AUDIT_HMAC_PREVIOUS_KEYS, problems);
  }
  const chosen = current ?? DEVELOPMENT_KEY;
  const clash = previous.get(chosen.id);
  if (clash && !clash.equals(chosen.key)) {
    problems.push(`AUDIT_HMAC_PREVIOUS_KEYS names "${chosen.id}", the id of the current key, with another key`);
  }
  if (problems.length > 0) throw new ConfigValidationError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  const keys = new Map(previous);
  keys.set(chosen.id, chosen.key);
  return {
    current: chosen,
    keys,
    developmentKey: current === undefined,
    anchorIntervalMs: (env.AUDIT_ANCHOR_INTERVAL_SECONDS ?? 600) * 1000,
  };
}

const SHAPE: Record<keyof AuditEnvironment, true> = {
  NODE_ENV: true,
  AUDIT_HMAC_KEY: true,
  AUDIT_HMAC_KEY_FILE: true,
  AUDIT_HMAC_KEY_ID: true,
  AUDIT_HMAC_PREVIOUS_KEYS: true,
  AUDIT_ANCHOR_INTERVAL_SECONDS: true,
};

function readCurrentKey(env: AuditEnvironment, problems: string[]): Buffer | undefined {
  if (env.AUDIT_HMAC_KEY && env.AUDIT_HMAC_KEY_FILE) {
    problems.push('Set AUDIT_HMAC_KEY or AUDIT_HMAC_KEY_FILE, not both');
    return undefined;
  }
  if (env.AUDIT_HMAC_KEY) return Buffer.from(env.AUDIT_HMAC_KEY, 'utf8');
  if (!env.AUDIT_HMAC_KEY_FILE) return undefined;
  try {
    // A file written by an editor or `echo` ends with a newline that is not part of the key.
    return Buffer.from(readFileSync(env.AUDIT_HMAC_KEY_FILE, 'utf8').replace(/\r?\n$/, ''), 'utf8');
  } catch (error) {
    problems.push(`AUDIT_HMAC_KEY_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

function readPreviousKeys(raw: string | undefined, problems: string[]): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  if (!raw) return keys;
  const parsed = JSON.parse(raw) as unknown;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    problems.push('AUDIT_HMAC_PREVIOUS_KEYS must be a JSON object of key id to key');
    return keys;
  }
  for (const [id, key] of Object.entries(parsed)) {
    if (!KEY_ID.test(id) || typeof key !== 'string' || Buffer.byteLength(key) < MIN_AUDIT_KEY_BYTES) {
      problems.push(
        `AUDIT_HMAC_PREVIOUS_KEYS["${id}"] must be a key id (letters, digits, ".", "_", "-") with a string key of at least ${MIN_AUDIT_KEY_BYTES} bytes`,
      );
      continue;
    }
    keys.set(id, Buffer.from(key, 'utf8'));
  }
  return keys;
}

export const auditConfig = registerAs('audit', () => loadAuditConfig(process.env));
