/** C0 and C1 control characters, DEL, and the Unicode line/paragraph separators. */
const CONTROL_CHARACTERS = /[\p{Cc}\u2028\u2029]/u;

export function hasControlCharacters(value: string): boolean {
  return CONTROL_CHARACTERS.test(value);
}

/** Invisible format characters: bidi overrides (U+202E), zero-width spaces and joiners, soft hyphens. */
const FORMAT_CHARACTERS = /\p{Cf}/u;

export function hasFormatCharacters(value: string): boolean {
  return FORMAT_CHARACTERS.test(value);
}

/** In unicode mode a surrogate matches only when it is alone: half of a character, which no database stores. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Where in a parsed request (a JSON body) a string holds a lone surrogate, as
 * a dotted path (`variables.input.email`), or null. Keys count too. Walked
 * with a stack of its own, not recursion: a body may nest 50,000 deep.
 */
export function malformedTextAt(value: unknown): string | null {
  // Paths are spelled only for the one string found: a parent link per node keeps the walk linear.
  type Node = { value: unknown; key: string; parent: Node | null };
  const spell = (found: Node): string => {
    const keys: string[] = [];
    for (let node: Node | null = found; node?.parent; node = node.parent) keys.push(node.key);
    return keys.reverse().join('.') || 'body';
  };
  const pending: Node[] = [{ value, key: '', parent: null }];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const current = node.value;
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) return spell(node);
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    // Pushed in reverse, so the first offending field in reading order is the one named.
    for (const [key, inner] of Object.entries(current).reverse()) {
      const child = { value: inner, key, parent: node };
      if (LONE_SURROGATE.test(key)) return spell(child);
      pending.push(child);
    }
  }
  return null;
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
