import { Logger } from '@nestjs/common';
import { readFileSync } from 'fs';
import { CryptoError } from '../../crypto/errors';
import { readBoundedBody } from '../bounded-body';
import { CrlRegistry } from './crl-registry';

export interface CrlSourceOptions {
  files: string[];
  urls: string[];
  refreshMinutes: number;
  fetchTimeoutMs?: number;
}

export interface CrlFetchOutcome {
  url: string;
  ok: boolean;
  reason?: string;
}

const MAX_CRL_BYTES = 32 * 1024 * 1024;

/** Without credentials or query, so that a line never carries a secret from a configured URL. */
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Feeds the registry: CRL_FILES once at start (an unreadable or unverifiable file is a configuration error and
 * stops the start), CRL_URLS at start and every CRL_REFRESH_MINUTES. A URL that fails keeps its last good CRL.
 */
export class CrlRefresher {
  private readonly logger = new Logger(CrlRefresher.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<CrlFetchOutcome[]>;

  constructor(
    private readonly registry: CrlRegistry,
    private readonly options: CrlSourceOptions,
  ) {}

  async start(): Promise<void> {
    this.loadFiles();
    if (this.options.urls.length === 0) return;
    await this.refreshUrls();
    this.timer = setInterval(() => void this.refreshUrls(), this.options.refreshMinutes * 60_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  loadFiles(): void {
    for (const path of this.options.files) {
      try {
        this.registry.add(readFileSync(path));
      } catch (error) {
        const code = error instanceof CryptoError ? error.code : 'CRL_FILE_UNREADABLE';
        throw new CryptoError(code, `${path}: ${(error as Error).message}`);
      }
    }
  }

  /** Fetches every URL once; overlapping calls share one run. Never throws. */
  refreshUrls(): Promise<CrlFetchOutcome[]> {
    this.running ??= Promise.all(this.options.urls.map((url) => this.fetchOne(url))).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async fetchOne(url: string): Promise<CrlFetchOutcome> {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(this.options.fetchTimeoutMs ?? 10_000) });
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status}`);
      }
      const body = await readBoundedBody(response, MAX_CRL_BYTES);
      if (!body) throw new Error('CRL too large');
      const { crl, replaced } = this.registry.add(body);
      if (replaced) this.logger.log({ url: safeUrl(url), issuer: crl.issuer, crlNumber: crl.number }, 'CRL loaded');
      return { url, ok: true };
    } catch (error) {
      const reason =
        error instanceof CryptoError
          ? error.code
          : (error as Error).name === 'TimeoutError'
            ? 'TIMEOUT'
            : (error as Error).message;
      this.logger.warn({ url: safeUrl(url), reason }, 'CRL refresh failed; the last good CRL stays in use');
      return { url, ok: false, reason };
    }
  }
}
