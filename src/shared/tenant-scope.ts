import { ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
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
  const query = repository
    .createQueryBuilder(alias)
    .where(`${alias}.accountId = :scopeAccountId`, { scopeAccountId: principal.accountId });
  if (principal.clientId !== null) {
    query.andWhere(`${alias}.${clientColumn} = :scopeClientId`, { scopeClientId: principal.clientId });
  }
  return query;
}
