import { randomUUID } from 'node:crypto';

/**
 * Authorisation codes from /grantToken, token → expiry time. The lifetime is fixed, so insertion order is expiry
 * order and the sweep stops at the first live token. The spec's guid binding is not enforced: one token serves
 * every operation of its holder, which is how relying parties cache it.
 */
export class AnhuiSimTokens {
  private readonly tokens = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  grant(now = Date.now()): string {
    this.sweep(now);
    const token = randomUUID();
    this.tokens.set(token, now + this.ttlMs);
    return token;
  }

  isValid(token: string | undefined, now = Date.now()): boolean {
    const expiresAt = token === undefined ? undefined : this.tokens.get(token);
    return expiresAt !== undefined && expiresAt > now;
  }

  revokeAll(): void {
    this.tokens.clear();
  }

  private sweep(now: number): void {
    for (const [token, expiresAt] of this.tokens) {
      if (expiresAt > now) return;
      this.tokens.delete(token);
    }
  }
}
