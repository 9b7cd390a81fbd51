import { DataSource } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { UsageCount } from './usage-count.entity';

/** One counter, as the database stores it (`bucketStart` already converted by the driver). */
export interface UsageRow {
  keyId: number;
  bucketStart: unknown;
  outcome: string;
  accountId: number;
  clientId: number | null;
  count: number;
}

export interface UsageTable {
  /** Quoted names, from the entity metadata and the driver, so the SQL is right on SQLite and MySQL alike. */
  table: string;
  keyId: string;
  bucketStart: string;
  outcome: string;
  accountId: string;
  clientId: string;
  count: string;
}

/**
 * One parameterised INSERT for a whole batch of counters, each added to the
 * row of its (key, hour, outcome) when there is one:
 *
 *   SQLite:  INSERT INTO usage_buckets (…) VALUES (?, …), … ON CONFLICT (key_id, bucket_start, outcome) DO UPDATE SET count = count + excluded.count
 *   MySQL:   INSERT INTO usage_buckets (…) VALUES (?, …), … ON DUPLICATE KEY UPDATE count = count + VALUES(count)
 *
 * An addition, never an assignment, so instances that count the same key in
 * the same hour each add their share. VALUES() rather than MySQL 8's row
 * alias: MariaDB knows only VALUES().
 */
export function usageUpsert(dialect: 'sqlite' | 'mysql', names: UsageTable, rows: readonly UsageRow[]): { sql: string; params: unknown[] } {
  if (rows.length === 0) throw new Error('usageUpsert needs at least one row');
  const params: unknown[] = [];
  const values = rows.map((row) => {
    params.push(row.keyId, row.bucketStart, row.outcome, row.accountId, row.clientId, row.count);
    return '(?, ?, ?, ?, ?, ?)';
  });
  const columns = [names.keyId, names.bucketStart, names.outcome, names.accountId, names.clientId, names.count].join(', ');
  const insert = `INSERT INTO ${names.table} (${columns}) VALUES ${values.join(', ')}`;
  const add =
    dialect === 'sqlite'
      ? ` ON CONFLICT (${names.keyId}, ${names.bucketStart}, ${names.outcome}) DO UPDATE SET ${names.count} = ${names.count} + excluded.${names.count}`
      : ` ON DUPLICATE KEY UPDATE ${names.count} = ${names.count} + VALUES(${names.count})`;
  return { sql: insert + add, params };
}

/**
 * At most `limit` rows older than the cutoff (the one parameter). SQLite's
 * DELETE takes no LIMIT (unless built with an option better-sqlite3 leaves
 * off): its rowids do instead.
 */
export function usagePrune(dialect: 'sqlite' | 'mysql', names: UsageTable, limit: number): string {
  const rows = Math.max(1, Math.floor(limit));
  return dialect === 'sqlite'
    ? `DELETE FROM ${names.table} WHERE rowid IN (SELECT rowid FROM ${names.table} WHERE ${names.bucketStart} < ? LIMIT ${rows})`
    : `DELETE FROM ${names.table} WHERE ${names.bucketStart} < ? LIMIT ${rows}`;
}

/** The table's quoted names, read from the entity and the driver. */
export function usageTable(dataSource: DataSource): UsageTable {
  const metadata = dataSource.getMetadata(UsageCount);
  const { driver } = dataSource;
  const column = (property: keyof UsageCount): string => {
    const found = metadata.findColumnWithPropertyName(property);
    if (!found) throw new Error(`UsageCount has lost its ${property} column`);
    return driver.escape(found.databaseName);
  };
  return {
    table: driver.escape(metadata.tableName),
    keyId: column('keyId'),
    bucketStart: column('bucketStart'),
    outcome: column('outcome'),
    accountId: column('accountId'),
    clientId: column('clientId'),
    count: column('count'),
  };
}

/** The hour column, for the driver to convert the times it is given (its own format on each database). */
export function bucketStartColumn(dataSource: DataSource): ColumnMetadata {
  const column = dataSource.getMetadata(UsageCount).findColumnWithPropertyName('bucketStart');
  if (!column) throw new Error('UsageCount has lost its bucketStart column');
  return column;
}
