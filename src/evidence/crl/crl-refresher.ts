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
  /** A larger answer is refused before it is parsed. */
  maxBytes?: number;
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
 * Feeds the registry: CRL_FILES once at start, CRL_URLS at start and every CRL_REFRESH_MINUTES. A CRL that cannot be
 * read or fails its check is logged and never used; it never stops the start. A URL that fails keeps its last good CRL.
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

  /** Each file on its own: one that is unreadable or fails its check is logged and skipped, never used. */
  loadFiles(): CrlFetchOutcome[] {
    return this.options.files.map((path) => {
      try {
        const { crl } = this.registry.add(readFileSync(path));
        this.logger.log({ file: path, issuer: crl.issuer, crlNumber: crl.number }, 'CRL loaded');
        return { url: path, ok: true };
      } catch (error) {
        const reason = error instanceof CryptoError ? error.code : 'CRL_FILE_UNREADABLE';
        this.logger.error({ file: path, reason, message: (error as Error).message }, 'CRL file ignored');
        return { url: path, ok: false, reason };
      }
    });
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
      const body = await readBoundedBody(response, this.options.maxBytes ?? MAX_CRL_BYTES);
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
      const detail = error instanceof CryptoError ? { message: error.message } : {};
      this.logger.warn({ url: safeUrl(url), reason, ...detail }, 'CRL refresh failed; the last good CRL stays in use');
      return { url, ok: false, reason };
    }
  }
}
