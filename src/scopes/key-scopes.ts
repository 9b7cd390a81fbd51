import { ValueTransformer } from 'typeorm';

/*
 * The platform scopes a key holds: a sorted list of `resource:action` names
 * (SCOPE_NAME in src/shared/platform-names.ts), stored in api_keys.scopes
 * joined by commas (a name never holds one) and NULL for a key with none.
 * An action `*` covers every action of its resource: a key holding
 * invoices:* satisfies a verification that requires invoices:read, and may
 * grant it. The verification cache keeps one frozen list per distinct set
 * (sharedScopes), and the one empty list for every key without.
 */

/** Enough for a platform's whole catalogue on one key; more wants a wildcard (invoices:*). */
export const MAX_KEY_SCOPES = 50;

/** The scopes of every key that holds none: one shared frozen array, so such a key costs the cache nothing. */
export const NO_SCOPES: readonly string[] = Object.freeze([]);

export const SCOPES_COLUMN: ValueTransformer = {
  to: (value: readonly string[] | undefined) => (value === undefined ? undefined : value.length === 0 ? null : value.join(',')),
  from: (value: string | null) => (value ? value.split(',') : []),
};

/** Whether a key holding `held` (sorted) has `scope`: the name itself, or its resource's wildcard. */
export function coversScope(held: readonly string[], scope: string): boolean {
  if (held.length === 0) return false;
  if (includesSorted(held, scope)) return true;
  const colon = scope.indexOf(':');
  return scope.slice(colon + 1) !== '*' && includesSorted(held, `${scope.slice(0, colon)}:*`);
}

/** The required scopes `held` lacks, in the order asked; empty when it has them all. */
export function missingScopes(held: readonly string[], required: readonly string[]): string[] {
  return required.filter((scope) => !coversScope(held, scope));
}

/** Binary search: a key's list is sorted, and verification asks on every request that names scopes. */
function includesSorted(sorted: readonly string[], name: string): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const found = sorted[middle];
    if (found === name) return true;
    if (found < name) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** At most this many distinct scope sets are shared; keys with more (rare: sets repeat across a platform's keys) keep their own. */
const MAX_SHARED_SETS = 4096;
const sharedSets = new Map<string, readonly string[]>();

/**
 * The one frozen list for every cached key holding exactly these scopes:
 * keys of a platform hold a handful of sets between them, so a hundred
 * thousand cached keys share a few arrays.
 */
export function sharedScopes(scopes: readonly string[] | null | undefined): readonly string[] {
  // A row read without the column (a partial select, a hand-made entity) holds none.
  if (!scopes || scopes.length === 0) return NO_SCOPES;
  const name = scopes.join(',');
  const shared = sharedSets.get(name);
  if (shared) return shared;
  const frozen = Object.freeze([...scopes]);
  if (sharedSets.size < MAX_SHARED_SETS) sharedSets.set(name, frozen);
  return frozen;
}
