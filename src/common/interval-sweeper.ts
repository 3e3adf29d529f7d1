import { Logger } from '@nestjs/common';

/**
 * Runs `sweep` every `everyMs` without keeping the process alive; a failed sweep is logged and the next one retries.
 * Stop it before the database connection closes, so that no sweep runs into a closed client.
 */
export class IntervalSweeper {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly logger: Logger,
    private readonly everyMs: number,
    private readonly sweep: () => Promise<unknown>,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async runOnce(): Promise<void> {
    try {
      await this.sweep();
    } catch (error) {
      this.logger.warn({ type: (error as Error).name }, 'Sweep failed; the next sweep will retry');
    }
  }
}
