/** One key's latest use, as the database stores it (`at` already converted by the driver). */
export interface LastUsedRow {
  id: number;
  at: unknown;
  ip: string | null;
}

export interface LastUsedTable {
  /** Quoted names, from the entity metadata and the driver, so the SQL is right on SQLite and MySQL alike. */
  table: string;
  id: string;
  lastUsedAt: string;
  lastUsedIp: string;
}

/**
 * One parameterised UPDATE for a whole batch, in SQL that SQLite and MySQL
 * both speak:
 *
 *   UPDATE api_keys
 *   SET last_used_ip = CASE id WHEN ? THEN ? … END,
 *       last_used_at = CASE id WHEN ? THEN ? … END
 *   WHERE id IN (?, …) AND (last_used_at IS NULL OR last_used_at < CASE id WHEN ? THEN ? … END)
 *
 * The WHERE clause only ever moves last_used_at forward: a row another
 * instance already stamped later keeps its time and its address. Filtering in
 * WHERE rather than in each SET also keeps MySQL's left-to-right assignment
 * (a later SET sees an earlier one's new value) from mattering.
 */
export function lastUsedUpdate(names: LastUsedTable, rows: readonly LastUsedRow[]): { sql: string; params: unknown[] } {
  if (rows.length === 0) throw new Error('lastUsedUpdate needs at least one row');
  const params: unknown[] = [];
  const caseOf = (value: (row: LastUsedRow) => unknown): string => {
    const arms = rows.map((row) => {
      params.push(row.id, value(row));
      return 'WHEN ? THEN ?';
    });
    return `CASE ${names.id} ${arms.join(' ')} END`;
  };
  const ip = caseOf((row) => row.ip);
  const at = caseOf((row) => row.at);
  const ids = rows.map((row) => {
    params.push(row.id);
    return '?';
  });
  const newer = caseOf((row) => row.at);
  const sql =
    `UPDATE ${names.table} SET ${names.lastUsedIp} = ${ip}, ${names.lastUsedAt} = ${at} ` +
    `WHERE ${names.id} IN (${ids.join(', ')}) AND (${names.lastUsedAt} IS NULL OR ${names.lastUsedAt} < ${newer})`;
  return { sql, params };
}
