/**
 * What every write-behind buffer shares (last use, usage counts, credit
 * balances): a timer that flushes every `flushIntervalMs`, flushes that run
 * one after another (a flush asked for while one runs waits for it, so two
 * never write the same rows at once), and a stop that writes what is left.
 * The timer never keeps a process alive: stop() does the last write.
 */
export abstract class WriteBehind {
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  protected constructor(private readonly flushIntervalMs: number) {}

  /** Starts the timer (the server does; the CLI records nothing and never starts it). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.flushIntervalMs);
    this.timer.unref();
  }

  /** Writes everything noted so far; resolves when it is in the database (or logged as failed and kept for the next). */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writePending());
    return this.writing;
  }

  /** For graceful shutdown: no more timer, and the last of it written. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** What each tick does: a flush, and whatever else a buffer does on its timer. */
  protected tick(): void {
    void this.flush();
  }

  /** One flush: takes what is pending and writes it; must not reject (a failed write is logged and kept). */
  protected abstract writePending(): Promise<void>;
}
