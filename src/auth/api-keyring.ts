import { timingSafeEqual } from 'node:crypto';
import { ApiKey, ApiKeyScope, sha256Of } from './api-keys.config';

/** The configured keys; a secret is matched by its SHA-256, compared in constant time against every key. */
export class ApiKeyring {
  constructor(private readonly keys: ApiKey[] | undefined) {}

  /** No keys configured: only allowed outside production (the configuration refuses it there). */
  get open(): boolean {
    return this.keys === undefined;
  }

  get ids(): string[] {
    return (this.keys ?? []).map((key) => key.id);
  }

  find(secret: string): ApiKey | undefined {
    const digest = sha256Of(secret);
    let found: ApiKey | undefined;
    // No early exit: the time taken does not depend on which key, if any, matched.
    for (const key of this.keys ?? []) {
      if (timingSafeEqual(digest, key.sha256) && !found) found = key;
    }
    return found;
  }
}

/** `admin` includes `read`. */
export function grants(key: ApiKey, scope: ApiKeyScope): boolean {
  return key.scopes.includes(scope) || key.scopes.includes('admin');
}
