import { EntityManager } from 'typeorm';
import { ApiKeyKind } from '../shared/api-key-kind';
import { BadUserInputError, ForbiddenError } from '../shared/errors';
import { SCOPE_NAME } from '../shared/platform-names';
import { AccountPrincipal } from '../shared/principal';
import { forUpdate } from '../db/locking';
import { coversScope, MAX_KEY_SCOPES, SCOPES_COLUMN } from './key-scopes';
import { PlatformScope } from './platform-scope.entity';

/** What the grant rules read of the key that will hold the scopes: the api_keys row, seen from here. */
export interface ScopedKey {
  kind: ApiKeyKind;
  scopes: string[];
}

/**
 * The scopes a key may be given, sorted and without repeats, or the refusal:
 * every name is a defined scope (an unknown one is BAD_USER_INPUT naming it),
 * a client key holds only clientAssignable ones, and nobody grants a scope it
 * does not hold. A dashboard user holds every scope; so does the account's
 * primary key, which holds every permission (otherwise an account run by
 * keys alone could never grant one); any other key holds its own scopes,
 * read from its row here, in the transaction that grants. The whole list is
 * checked, not only what is added, as with permissions.
 */
export async function grantableScopes(
  manager: EntityManager,
  principal: AccountPrincipal,
  requested: unknown,
  kind: ApiKeyKind,
  field = 'scopes',
): Promise<string[]> {
  const names = scopeList(requested, field);
  if (names.length === 0) return names;
  const query = manager.getRepository(PlatformScope).createQueryBuilder('scope').where('scope.name IN (:...names)', { names });
  // Locked for a client key: a definition turning clientAssignable off either waits for this grant (and then sees its key) or goes first.
  const defined = new Map((await (kind === ApiKeyKind.CLIENT ? forUpdate(manager, query) : query).getMany()).map((s) => [s.name, s]));
  const unknown = names.filter((name) => !defined.has(name));
  if (unknown.length > 0) {
    throw new BadUserInputError(field, `Unknown scope ${unknown.join(', ')}: the platform operator declares scopes with defineScope`);
  }
  if (kind === ApiKeyKind.CLIENT) {
    const outside = names.filter((name) => !defined.get(name)?.clientAssignable);
    if (outside.length > 0) throw new BadUserInputError(field, `Client keys cannot hold ${outside.join(', ')}: not clientAssignable`);
  }
  const held = await scopesHeldBy(manager, principal);
  if (held !== 'every') {
    const lacking = names.filter((name) => !coversScope(held, name));
    if (lacking.length > 0) throw new ForbiddenError(`You cannot grant ${lacking.join(', ')}: you do not hold it yourself`);
  }
  return names;
}

/**
 * updateApiKey's `scopes` (one entry of its FIELDS table): replaces the list
 * under the same rules as at creation; null or []: none. Typed by what it
 * reads, so this folder needs nothing of api-keys (which imports it).
 */
export const scopesField = {
  next: (scopes: string[] | null, { manager, principal, key }: { manager: EntityManager; principal: AccountPrincipal; key: ScopedKey }) =>
    grantableScopes(manager, principal, scopes, key.kind),
  current: (key: ScopedKey): string[] => key.scopes,
  apply: (key: ScopedKey, scopes: string[]): void => {
    key.scopes = scopes;
  },
};

/** Well-formed names, sorted (the order the column and the cache keep), repeats dropped. Null or absent: none. */
function scopeList(requested: unknown, field: string): string[] {
  if (requested === null || requested === undefined) return [];
  if (!Array.isArray(requested) || requested.some((name) => typeof name !== 'string')) {
    throw new BadUserInputError(field, `${field} must be a list of scope names (resource:action)`);
  }
  const bad = (requested as string[]).find((name) => !SCOPE_NAME.test(name));
  if (bad !== undefined) {
    throw new BadUserInputError(field, `${JSON.stringify(bad)} is not a scope name: resource:action in lower case, e.g. invoices:read`);
  }
  const names = [...new Set(requested as string[])].sort();
  if (names.length > MAX_KEY_SCOPES) throw new BadUserInputError(field, `A key may hold at most ${MAX_KEY_SCOPES} scopes`);
  return names;
}

async function scopesHeldBy(manager: EntityManager, principal: AccountPrincipal): Promise<readonly string[] | 'every'> {
  if (principal.kind === 'user' || principal.isPrimary) return 'every';
  const row: { scopes: string | null } | undefined = await manager
    .createQueryBuilder()
    .select('k.scopes', 'scopes')
    .from('api_keys', 'k')
    .where('k.id = :id', { id: principal.keyId })
    .getRawOne();
  return SCOPES_COLUMN.from(row?.scopes ?? null) as string[];
}
