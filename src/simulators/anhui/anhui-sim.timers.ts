/** Every wait the simulator starts, so that stop() can end them all and leave no timer behind. */
export class AnhuiSimTimers {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();
  private stopped = false;

  /** Resolves after `ms`, or at once when the simulator stops; true when it ran its full time. */
  sleep(ms: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve(true);
      }, ms);
      this.pending.set(timer, () => resolve(false));
    });
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    for (const [timer, cancel] of this.pending) {
      clearTimeout(timer);
      cancel();
    }
    this.pending.clear();
  }
}
