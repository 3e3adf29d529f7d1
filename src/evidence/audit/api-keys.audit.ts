import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { appConfig } from '../../config/app.config';
import type { AuditApiKey } from './audit-entry';
import { AuditLogStore } from './audit-log.store';

export const API_KEYS_CHANGED = 'API_KEYS_CHANGED';

/** The configured keys as the chain records them, in a stable order. */
export function auditedApiKeys(keys: { id: string; scopes: string[]; sha256: Buffer }[] | undefined): AuditApiKey[] {
  return (keys ?? [])
    .map((key) => ({
      id: key.id,
      scopes: [...key.scopes].sort(),
      fingerprint: key.sha256.toString('hex').slice(0, 16),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * API keys live in the configuration, not the database, so a change shows only at start-up: the configured ids,
 * scopes and fingerprints are compared with the last API_KEYS_CHANGED entry, and a difference (or the first start)
 * appends a new one. Gateways starting together with the same change append it once (same idempotency key).
 */
@Injectable()
export class ApiKeysAudit implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiKeysAudit.name);

  constructor(
    private readonly log: AuditLogStore,
    @Inject(appConfig.KEY) private readonly app: Pick<ConfigType<typeof appConfig>, 'apiKeys'>,
  ) {}

  /** A database that cannot be written now does not stop the start: the comparison runs again at the next one. */
  async onApplicationBootstrap(): Promise<void> {
    await this.recordChange().catch((error: Error) =>
      this.logger.warn(`API key configuration not compared with the audit chain: ${error.message}`),
    );
  }

  async recordChange(): Promise<void> {
    const apiKeys = auditedApiKeys(this.app.apiKeys);
    const last = await this.log.lastOfType(API_KEYS_CHANGED);
    if (last && JSON.stringify(last.apiKeys ?? []) === JSON.stringify(apiKeys)) return;
    const digest = createHash('sha256').update(JSON.stringify(apiKeys)).digest('hex').slice(0, 16);
    await this.log.append({
      type: API_KEYS_CHANGED,
      outcome: last ? 'CHANGED' : 'FIRST_RECORDED',
      subject: { ids: apiKeys.map((key) => key.id) },
      apiKeys,
      idempotencyKey: `api-keys:${last?.seq ?? 0}:${digest}`,
    });
    this.logger.log(`API keys ${last ? 'changed' : 'recorded'} in the audit chain: ${apiKeys.length} key(s)`);
  }
}
