import { DataSource, EntityManager } from 'typeorm';
import { Logger } from '../logging/logger';
import { WriteBehind } from '../db/write-behind';

/** Keys per UPDATE: well inside every driver's placeholder limit (7 placeholders a key). */
const BATCH_SIZE = 300;
const EARLY_FLUSH_AT = 1_000;

interface Count {
  remaining: number;
  atMs: number;
}

/**
 * api_keys.remaining and last_refill_at, written behind: the counts live in
 * Redis (or this process) and every charge only notes the latest one here;
 * a timer writes what accumulated in one batched UPDATE per flush, and
 * stop() writes the rest. Never a write per request.
 *
 * A write never moves a row back: within one count (the same last_refill_at)
 * remaining only goes down, and a count that began later (a refill) replaces
 * an older one, so instances flushing in any order leave the lowest count of
 * the newest period. A row set whole by updateApiKey after the count began
 * carries a later last_refill_at, and the count's write matches nothing.
 */
export class CreditWriter extends WriteBehind {
  private pending = new Map<number, Count>();

  constructor(
    private readonly dataSource: DataSource,
    /** Runs a statement in the database's transaction queue (SQLite has one connection). */
    private readonly run: (work: (manager: EntityManager) => Promise<unknown>) => Promise<unknown>,
    private readonly logger: Logger,
    flushIntervalMs: number,
  ) {
    super(flushIntervalMs);
  }

  note(keyId: number, remaining: number, atMs: number): void {
    const known = this.pending.get(keyId);
    if (!known) this.pending.set(keyId, { remaining, atMs });
    else if (atMs > known.atMs || (atMs === known.atMs && remaining < known.remaining)) {
      known.remaining = remaining;
      known.atMs = atMs;
    }
    if (this.pending.size >= EARLY_FLUSH_AT) void this.flush();
  }

  protected async writePending(): Promise<void> {
    if (this.pending.size === 0 || !this.dataSource.isInitialized) return;
    const entries = [...this.pending];
    this.pending = new Map();
    for (let start = 0; start < entries.length; start += BATCH_SIZE) {
      const chunk = entries.slice(start, start + BATCH_SIZE);
      try {
        await this.write(chunk);
      } catch (error) {
        this.logger.error({ err: error, keys: chunk.length }, 'could not write usage credits; retrying with the next flush');
        for (const [keyId, count] of chunk) this.note(keyId, count.remaining, count.atMs);
      }
    }
  }

  private async write(chunk: Array<[number, Count]>): Promise<void> {
    const { sql, params } = creditUpdate(
      chunk.map(([id, count]) => ({ id, remaining: count.remaining, at: this.stored(new Date(count.atMs)) })),
      (name) => this.dataSource.driver.escape(name),
    );
    if (this.dataSource.options.type === 'better-sqlite3') await this.run((manager) => manager.query(sql, params));
    else await this.dataSource.query(sql, params);
  }

  /** A time as the last_refill_at column stores it, so equal times compare equal in SQL. */
  private stored(at: Date): unknown {
    const column = this.dataSource.getMetadata('api_keys').findColumnWithPropertyName('lastRefillAt');
    if (!column) throw new Error('api_keys has lost its last_refill_at column');
    return this.dataSource.driver.preparePersistentValue(at, column);
  }
}

export interface CreditRow {
  id: number;
  remaining: number;
  /** last_refill_at, converted by the driver. */
  at: unknown;
}

/**
 * One UPDATE for a batch, in SQL both SQLite and MySQL speak:
 *
 *   UPDATE api_keys SET remaining = CASE id WHEN ? THEN ? … END, last_refill_at = CASE id WHEN ? THEN ? … END
 *   WHERE id IN (…) AND remaining IS NOT NULL
 *     AND (last_refill_at IS NULL OR last_refill_at < CASE id … END
 *          OR (last_refill_at = CASE id … END AND remaining > CASE id … END))
 *
 * WHERE is judged on the row before the SET, so MySQL's left-to-right
 * assignment does not matter; a key made unlimited meanwhile is left alone.
 */
export function creditUpdate(rows: readonly CreditRow[], escape: (name: string) => string): { sql: string; params: unknown[] } {
  if (rows.length === 0) throw new Error('creditUpdate needs at least one row');
  const [table, id, remaining, at] = ['api_keys', 'id', 'remaining', 'last_refill_at'].map(escape);
  const params: unknown[] = [];
  const caseOf = (value: (row: CreditRow) => unknown): string => {
    const arms = rows.map((row) => {
      params.push(row.id, value(row));
      return 'WHEN ? THEN ?';
    });
    return `CASE ${id} ${arms.join(' ')} END`;
  };
  const setRemaining = caseOf((row) => row.remaining);
  const setAt = caseOf((row) => row.at);
  const ids = rows.map((row) => {
    params.push(row.id);
    return '?';
  });
  const older = caseOf((row) => row.at);
  const same = caseOf((row) => row.at);
  const lower = caseOf((row) => row.remaining);
  const sql =
    `UPDATE ${table} SET ${remaining} = ${setRemaining}, ${at} = ${setAt} ` +
    `WHERE ${id} IN (${ids.join(', ')}) AND ${remaining} IS NOT NULL ` +
    `AND (${at} IS NULL OR ${at} < ${older} OR (${at} = ${same} AND ${remaining} > ${lower}))`;
  return { sql, params };
}
