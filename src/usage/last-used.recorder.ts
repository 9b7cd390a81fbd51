import { DataSource } from 'typeorm';
import { ApiKey } from '../api-keys/api-key.entity';
import { Transactor } from '../db/transactions';
import { WriteBehind } from '../db/write-behind';
import { Logger } from '../logging/logger';
import { LastUsedRow, LastUsedTable, lastUsedUpdate } from './last-used.statement';

/** Keys per UPDATE: keeps each statement well inside every driver's placeholder limit. */
const BATCH_SIZE = 500;
/** A burst of distinct keys is written at once rather than held until the timer. */
const EARLY_FLUSH_AT = 1_000;

interface Use {
  /** Epoch milliseconds: a number, not a Date, so noting a use allocates as little as possible. */
  at: number;
  ip: string | null;
}

/**
 * lastUsedAt and lastUsedIp, written behind: each authentication with a key
 * only notes (key, time, address) in memory; a timer writes what accumulated
 * in one batched UPDATE per flush, and stop() writes the rest. Never a write
 * per request, so the hot path does no I/O for it.
 *
 * Only a key's latest use is kept. A flush that fails puts its uses back
 * (unless the key was used again since) and the next one retries; a key
 * revoked or deleted in the meantime simply matches no row.
 */
export class LastUsedRecorder extends WriteBehind {
  private pending = new Map<number, Use>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly logger: Logger,
    flushIntervalMs: number,
  ) {
    super(flushIntervalMs);
  }

  record(keyId: number, ip: string | null, at: number = Date.now()): void {
    const known = this.pending.get(keyId);
    const address = ip === null ? null : ip.slice(0, 45);
    if (!known) this.pending.set(keyId, { at, ip: address });
    else if (known.at <= at) {
      known.at = at;
      known.ip = address;
    }
    if (this.pending.size >= EARLY_FLUSH_AT) void this.flush();
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  protected async writePending(): Promise<void> {
    if (this.pending.size === 0 || !this.dataSource.isInitialized) return;
    const batch = this.pending;
    this.pending = new Map();
    const entries = [...batch];
    for (let start = 0; start < entries.length; start += BATCH_SIZE) {
      const chunk = entries.slice(start, start + BATCH_SIZE);
      try {
        await this.write(chunk);
      } catch (error) {
        this.logger.error({ err: error, keys: chunk.length }, 'could not write last-used times; retrying with the next flush');
        for (const [keyId, use] of chunk) {
          const newer = this.pending.get(keyId);
          if (!newer || newer.at < use.at) this.pending.set(keyId, use);
        }
      }
    }
  }

  private async write(chunk: Array<[number, Use]>): Promise<void> {
    const metadata = this.dataSource.getMetadata(ApiKey);
    const atColumn = metadata.findColumnWithPropertyName('lastUsedAt');
    const ipColumn = metadata.findColumnWithPropertyName('lastUsedIp');
    const idColumn = metadata.findColumnWithPropertyName('id');
    if (!atColumn || !ipColumn || !idColumn) throw new Error('ApiKey has lost its last-used columns');
    const { driver } = this.dataSource;
    const names: LastUsedTable = {
      table: driver.escape(metadata.tableName),
      id: driver.escape(idColumn.databaseName),
      lastUsedAt: driver.escape(atColumn.databaseName),
      lastUsedIp: driver.escape(ipColumn.databaseName),
    };
    const rows: LastUsedRow[] = chunk.map(([id, use]) => ({
      id,
      at: driver.preparePersistentValue(new Date(use.at), atColumn),
      ip: use.ip,
    }));
    const { sql, params } = lastUsedUpdate(names, rows);
    if (this.dataSource.options.type === 'better-sqlite3') {
      // One connection: a statement issued outside the transaction queue would
      // land inside whichever transaction is open, and vanish if it rolls back.
      await this.transactor.run((manager) => manager.query(sql, params));
    } else {
      await this.dataSource.query(sql, params);
    }
  }
}
