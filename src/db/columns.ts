import { ColumnOptions, ValueTransformer } from 'typeorm';

/**
 * Column shapes shared by every entity, chosen to be identical on SQLite and
 * MySQL/MariaDB so one set of migrations serves both (a test checks that the
 * migrations and entities agree on each).
 */

/** Microsecond precision on MySQL (SQLite stores milliseconds as text either way). */
export const DATETIME: ColumnOptions = { type: 'datetime', precision: 6 };

export const TIMESTAMPS_DEFAULT = () => 'CURRENT_TIMESTAMP(6)';

/** Stores a list of enum values as one comma-separated varchar. */
export function listTransformer<T extends string>(parse: (value: string) => T | undefined): ValueTransformer {
  return {
    to: (value: readonly T[] | undefined) => (value === undefined ? undefined : value.join(',')),
    from: (value: string | null) =>
      value
        ? value.split(',').flatMap((item) => {
            const parsed = parse(item);
            return parsed === undefined ? [] : [parsed];
          })
        : [],
  };
}
