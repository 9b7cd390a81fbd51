/** C0 and C1 control characters, DEL, and the Unicode line/paragraph separators. */
const CONTROL_CHARACTERS = /[\p{Cc}\u2028\u2029]/u;

export function hasControlCharacters(value: string): boolean {
  return CONTROL_CHARACTERS.test(value);
}

const LIKE_ESCAPE = '!';

/**
 * A LIKE pattern matching `needle` anywhere, with % and _ taken literally.
 * "!" is the escape character: unlike a backslash it means the same on SQLite
 * and MySQL whatever the SQL mode. Use with `LIKE :pattern ESCAPE '!'`.
 * Matching is case-insensitive through the column collation (MySQL) and
 * SQLite's LIKE (ASCII letters).
 */
export function containsPattern(needle: string): string {
  const escaped = needle.replace(/[!%_]/g, (c) => LIKE_ESCAPE + c);
  return `%${escaped}%`;
}

export const LIKE_ESCAPE_SQL = `ESCAPE '${LIKE_ESCAPE}'`;
