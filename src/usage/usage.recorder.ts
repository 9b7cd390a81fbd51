import { WriteBehind } from '../db/write-behind';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { Transactor } from '../db/transactions';
import { Logger } from '../logging/logger';
import { Clock } from '../shared/clock';
import { ApiKeyPrincipal } from '../shared/principal';
import { USAGE_OUTCOMES, UsageKey, UsageOutcome } from './usage-outcome';
import { bucketStartColumn, usagePrune, UsageRow, usageTable, usageUpsert } from './usage.statements';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Counters per INSERT: 6 placeholders each, well inside SQLite's 32,766 and MySQL's 65,535. */
const BATCH_SIZE = 1_000;
/** A burst of distinct counters is written at once rather than held until the timer. */
const EARLY_FLUSH_AT = 5_000;
/** Rows per DELETE when pruning: short statements that never hold the table for long. */
export const PRUNE_BATCH_SIZE = 1_000;

const OUTCOME_SLOT: Readonly<Record<UsageOutcome, number>> = Object.freeze(
  Object.fromEntries(USAGE_OUTCOMES.map((outcome, slot) => [outcome, slot])) as Record<UsageOutcome, number>,
);
/** Slots per key in an hour's map: a power of two above the outcomes, so a key's slots never meet the next key's. */
const SLOTS = 16;

interface Counter {
  keyId: number;
  accountId: number;
  clientId: number | null;
  outcome: UsageOutcome;
  /** Epoch milliseconds of the hour's start. */
  hour: number;
  count: number;
}

export interface UsageRecorderSettings {
  flushIntervalMs: number;
  retentionDays: number;
}

/**
 * Usage analytics, written behind like last-used: each use of a key adds one
 * to a counter in memory (key, hour, outcome); a timer writes what
 * accumulated in one batched upsert per flush, adding to the rows already
 * there, and stop() writes the rest. Never a write per request: a use that
 * finds its counter allocates nothing.
 *
 * Counters are grouped by hour, the hour read from the server's clock when
 * the use happens. A flush whose statement fails puts its counts back and the
 * next one adds them to what came since: nothing is lost. (A statement the
 * database applied but whose answer never came, a timeout, is retried and
 * counted twice: the one way a count can run over.) A crash loses at most
 * one flush interval of counts.
 *
 * Rows older than the retention are pruned once an hour of the server's
 * clock, in bounded DELETEs repeated until none is left, so pruning never
 * holds the table for long.
 */
export class UsageRecorder extends WriteBehind {
  private pending = new Map<number, Map<number, Counter>>();
  private counters = 0;
  /** The hour the last use fell in, and its map: nearly every use lands in the same hour as the one before. */
  private hour = -1;
  private hourCounters: Map<number, Counter> | null = null;
  /** The server-clock hour of the last prune: rows age by the hour, so one prune per hour is enough. */
  private prunedHour = -1;
  private pruning: Promise<number> | null = null;
  private earlyFlushQueued = false;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly settings: UsageRecorderSettings,
  ) {
    super(settings.flushIntervalMs);
  }

  /** One use of a live key (a CachedKey) or a revoked one. */
  record(key: UsageKey, outcome: UsageOutcome): void {
    this.add(key.id, key.accountId, key.clientId, outcome);
  }

  /** One request made with a key, counted where the request is charged (its principal is what is at hand there). */
  recordRequest(principal: ApiKeyPrincipal, outcome: UsageOutcome): void {
    this.add(principal.keyId, principal.accountId, principal.clientId, outcome);
  }

  private add(keyId: number, accountId: number, clientId: number | null, outcome: UsageOutcome): void {
    const now = this.clock.now();
    const hour = now - (now % HOUR_MS);
    let counters = this.hourCounters;
    if (hour !== this.hour || counters === null) {
      counters = this.pending.get(hour) ?? null;
      if (counters === null) {
        counters = new Map();
        this.pending.set(hour, counters);
      }
      this.hour = hour;
      this.hourCounters = counters;
    }
    const slot = keyId * SLOTS + OUTCOME_SLOT[outcome];
    const counter = counters.get(slot);
    if (counter) {
      counter.count++;
      return;
    }
    counters.set(slot, { keyId, accountId, clientId, outcome, hour, count: 1 });
    // One early flush queued at a time: the counters that keep coming while it waits for a write join it.
    if (++this.counters >= EARLY_FLUSH_AT && !this.earlyFlushQueued) {
      this.earlyFlushQueued = true;
      void this.flush();
    }
  }

  /**
   * Each tick flushes, and the first tick of each hour by the server's clock
   * prunes too, the first after a start included, so an instance restarted
   * more often than hourly still prunes.
   */
  protected tick(): void {
    super.tick();
    const now = this.clock.now();
    const hour = now - (now % HOUR_MS);
    if (hour === this.prunedHour) return;
    this.prunedHour = hour;
    // Logged by prune; the next hour's tick tries again.
    this.prune().catch(() => undefined);
  }

  /** For graceful shutdown: a prune under way stopped after its batch, no more timer, and the last counts written. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.pruning?.catch(() => undefined);
    await super.stop();
  }

  /** Distinct (key, hour, outcome) counters waiting for the next flush. */
  get pendingCount(): number {
    return this.counters;
  }

  /** The first instant still kept: the hour USAGE_RETENTION_DAYS before the server's now. */
  retainedFrom(): number {
    const now = this.clock.now();
    return now - (now % HOUR_MS) - this.settings.retentionDays * DAY_MS;
  }

  /**
   * Deletes the rows older than the retention, `batchSize` at a time, until
   * none is left; resolves with how many went. One prune at a time: a call
   * while one runs shares it.
   */
  prune(batchSize = PRUNE_BATCH_SIZE): Promise<number> {
    this.pruning ??= this.pruneOlder(batchSize).finally(() => {
      this.pruning = null;
    });
    return this.pruning;
  }

  private async pruneOlder(batchSize: number): Promise<number> {
    if (!this.dataSource.isInitialized) return 0;
    const { sql, params } = this.pruneStatement(batchSize);
    let deleted = 0;
    try {
      for (;;) {
        const affected = await this.affectedBy(sql, params);
        deleted += affected;
        // A shutdown does not wait for a long backlog: the next prune, on any instance, goes on with it.
        if (affected < batchSize || this.stopped) return deleted;
      }
    } catch (error) {
      this.logger.error({ err: error, deleted }, 'could not prune usage counts past the retention; retrying with the next prune');
      throw error;
    }
  }

  private pruneStatement(batchSize: number): { sql: string; params: unknown[] } {
    const cutoff = this.dataSource.driver.preparePersistentValue(new Date(this.retainedFrom()), bucketStartColumn(this.dataSource));
    return { sql: usagePrune(this.dialect(), usageTable(this.dataSource), batchSize), params: [cutoff] };
  }

  protected async writePending(): Promise<void> {
    this.earlyFlushQueued = false;
    if (this.counters === 0 || !this.dataSource.isInitialized) return;
    const batch = this.pending;
    this.pending = new Map();
    this.counters = 0;
    this.hour = -1;
    this.hourCounters = null;
    const counters: Counter[] = [];
    for (const hour of batch.values()) for (const counter of hour.values()) counters.push(counter);
    // In primary-key order: instances upserting the same rows at once then lock them in the same order, and never deadlock.
    counters.sort((a, b) => a.keyId - b.keyId || a.hour - b.hour || OUTCOME_SLOT[a.outcome] - OUTCOME_SLOT[b.outcome]);
    for (let start = 0; start < counters.length; start += BATCH_SIZE) {
      const chunk = counters.slice(start, start + BATCH_SIZE);
      try {
        await this.write(chunk);
      } catch (error) {
        this.logger.error({ err: error, counters: chunk.length }, 'could not write usage counts; retrying with the next flush');
        for (const counter of chunk) this.putBack(counter);
      }
    }
  }

  /** Counts add up: one that failed to be written joins whatever was counted since. */
  private putBack(counter: Counter): void {
    let counters = this.pending.get(counter.hour);
    if (!counters) {
      counters = new Map();
      this.pending.set(counter.hour, counters);
    }
    const slot = counter.keyId * SLOTS + OUTCOME_SLOT[counter.outcome];
    const newer = counters.get(slot);
    if (newer) newer.count += counter.count;
    else {
      counters.set(slot, counter);
      this.counters++;
    }
  }

  private async write(chunk: Counter[]): Promise<void> {
    const startColumn = bucketStartColumn(this.dataSource);
    const { driver } = this.dataSource;
    const rows: UsageRow[] = chunk.map((counter) => ({
      keyId: counter.keyId,
      bucketStart: driver.preparePersistentValue(new Date(counter.hour), startColumn),
      outcome: counter.outcome,
      accountId: counter.accountId,
      clientId: counter.clientId,
      count: counter.count,
    }));
    const { sql, params } = usageUpsert(this.dialect(), usageTable(this.dataSource), rows);
    await this.run((manager) => manager.query(sql, params));
  }

  private run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    // One connection on SQLite: a statement issued outside the transaction queue would
    // land inside whichever transaction is open, and vanish if it rolls back.
    if (this.dialect() === 'sqlite') return this.transactor.run(work);
    return work(this.dataSource.manager);
  }

  /** Rows a statement changed: only a query runner's structured result says. */
  private affectedBy(sql: string, params: unknown[]): Promise<number> {
    const on = async (runner: QueryRunner) => (await runner.query(sql, params, true)).affected ?? 0;
    if (this.dialect() === 'sqlite') return this.transactor.run((manager) => on(manager.queryRunner as QueryRunner));
    const runner = this.dataSource.createQueryRunner();
    return on(runner).finally(() => runner.release());
  }

  private dialect(): 'sqlite' | 'mysql' {
    return this.dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
  }
}
