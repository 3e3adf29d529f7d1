import { createHash } from 'node:crypto';

export const API_KEY_SCOPES = ['read', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** One configured key: only the SHA-256 of its secret is kept in memory. */
export interface ApiKey {
  id: string;
  sha256: Buffer;
  scopes: ApiKeyScope[];
}

interface RawApiKey {
  id?: unknown;
  key?: unknown;
  sha256?: unknown;
  scopes?: unknown;
}

const ID = /^[A-Za-z0-9._-]{1,64}$/;
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;
export const MIN_SECRET_LENGTH = 16;

export class ApiKeysConfigError extends Error {}

/**
 * The keys of API_KEYS (read from the file API_KEYS_FILE names, when that is given: see config/secret-files.ts);
 * undefined when neither is set.
 */
export function loadApiKeys(env: { API_KEYS?: string }): ApiKey[] | undefined {
  return env.API_KEYS ? parseApiKeys(env.API_KEYS, 'API_KEYS') : undefined;
}

/** Parses `[{"id","key"|"sha256","scopes":[...]}]`; errors name the variable and the key id, never a secret. */
export function parseApiKeys(text: string, variable: string): ApiKey[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ApiKeysConfigError(`${variable} is not valid JSON (expected an array of {id, key | sha256, scopes})`);
  }
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new ApiKeysConfigError(`${variable} must be a non-empty JSON array of {id, key | sha256, scopes}`);
  }
  const seen = new Set<string>();
  return raw.map((entry: RawApiKey, index) => {
    const where = `${variable}[${index}]`;
    if (typeof entry?.id !== 'string' || !ID.test(entry.id)) {
      throw new ApiKeysConfigError(`${where}.id must be 1-64 letters, digits, . _ or -`);
    }
    if (seen.has(entry.id)) throw new ApiKeysConfigError(`${where}.id "${entry.id}" is used twice`);
    seen.add(entry.id);
    const named = `${variable} key "${entry.id}"`;
    if ((entry.key === undefined) === (entry.sha256 === undefined)) {
      throw new ApiKeysConfigError(`${named} needs exactly one of "key" and "sha256"`);
    }
    if (entry.key !== undefined && (typeof entry.key !== 'string' || entry.key.length < MIN_SECRET_LENGTH)) {
      throw new ApiKeysConfigError(`${named}: "key" must be a string of at least ${MIN_SECRET_LENGTH} characters`);
    }
    if (entry.sha256 !== undefined && (typeof entry.sha256 !== 'string' || !HEX_SHA256.test(entry.sha256))) {
      throw new ApiKeysConfigError(`${named}: "sha256" must be 64 hex digits`);
    }
    const scopes = entry.scopes;
    if (!Array.isArray(scopes) || !scopes.every((s) => (API_KEY_SCOPES as readonly unknown[]).includes(s))) {
      throw new ApiKeysConfigError(`${named}: "scopes" must be an array of ${API_KEY_SCOPES.join(', ')}`);
    }
    const sha256 = typeof entry.key === 'string' ? sha256Of(entry.key) : Buffer.from(entry.sha256 as string, 'hex');
    return { id: entry.id, sha256, scopes: [...new Set(scopes as ApiKeyScope[])] };
  });
}

export function sha256Of(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
