import { ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import { NotFoundError } from './errors';
import { parseId } from './ids';
import { AccountPrincipal } from './principal';

/**
 * The rows of a tenant table a principal can see: its account's, narrowed to
 * its own client for a client key. Every read and write of tenant data starts
 * here, so a row outside the scope is indistinguishable from one that does
 * not exist. `clientColumn` names the property holding the client (`id` for
 * the clients table itself).
 */
export function inTenantScope<T extends ObjectLiteral>(
  repository: Repository<T>,
  alias: string,
  principal: AccountPrincipal,
  clientColumn = 'clientId',
): SelectQueryBuilder<T> {
  const query = repository.createQueryBuilder(alias).where(`${alias}.accountId = :scopeAccountId`, { scopeAccountId: principal.accountId });
  if (principal.clientId !== null) {
    query.andWhere(`${alias}.${clientColumn} = :scopeClientId`, { scopeClientId: principal.clientId });
  }
  return query;
}

/**
 * The client a new row of a tenant table belongs to: a client key's own
 * client (naming another is NOT_FOUND, as if it did not exist), or, for an
 * account-wide principal, the named client of its account, or none. `find`
 * reads that client row of the account (and may lock it).
 */
export async function clientForNewRow(
  principal: AccountPrincipal,
  rawClientId: string | null,
  find: (clientId: number, accountId: number) => Promise<{ id: number } | null>,
): Promise<number | null> {
  if (principal.clientId !== null) {
    if (rawClientId !== null && parseId(rawClientId) !== principal.clientId) throw new NotFoundError('Client', rawClientId);
    return principal.clientId;
  }
  if (rawClientId === null) return null;
  const id = parseId(rawClientId);
  const client = id === null ? null : await find(id, principal.accountId);
  if (!client) throw new NotFoundError('Client', rawClientId);
  return client.id;
}

/** A filter on a client id from the caller: an id that cannot exist filters to nothing, like a client of another account. */
export function whereClientIs<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, alias: string, rawClientId: string): void {
  query.andWhere(`${alias}.clientId = :filterClientId`, { filterClientId: parseId(rawClientId) ?? -1 });
}
