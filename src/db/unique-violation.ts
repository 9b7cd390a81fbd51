import { QueryFailedError } from 'typeorm';

/** A unique index, named as both databases report a violation of it. */
export interface UniqueIndex {
  /** The index name: MySQL/MariaDB name it in ER_DUP_ENTRY ("… for key 'uq_…'"). */
  name: string;
  /** `table.column` as SQLite names it ("UNIQUE constraint failed: table.column, …"). */
  sqliteColumn: string;
}

/** Whether a failed statement broke this particular unique index, on SQLite or MySQL. */
export function isUniqueViolation(error: unknown, index: UniqueIndex): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; errno?: number; message?: string } | undefined;
  const message = String(driverError?.message ?? error.message);
  if (driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE') return message.includes(index.sqliteColumn);
  if (driverError?.errno === 1062) return message.includes(index.name);
  return false;
}
