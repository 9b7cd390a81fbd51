import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { AccountPrincipal } from '../shared/principal';
import { NotFoundError } from '../shared/errors';
import { parseId } from '../shared/ids';
import { forUpdate } from '../db/locking';
import { ApiKey } from './api-key.entity';
import { inTenantScope } from '../shared/tenant-scope';

/**
 * The keys a principal can see: its account's, narrowed to its own client for
 * a client key. Every read and write of keys starts here, so a key outside
 * the scope is indistinguishable from one that does not exist.
 */
export function keysInScope(manager: EntityManager, principal: AccountPrincipal): SelectQueryBuilder<ApiKey> {
  return inTenantScope(manager.getRepository(ApiKey), 'key', principal);
}

/** The key with this id in the principal's scope, row-locked for the rest of the transaction. */
export async function lockKeyInScope(manager: EntityManager, principal: AccountPrincipal, rawId: string): Promise<ApiKey> {
  const id = parseId(rawId);
  const key = id === null ? null : await forUpdate(manager, keysInScope(manager, principal).andWhere('key.id = :id', { id })).getOne();
  if (!key) throw new NotFoundError('API key', rawId);
  return key;
}

/** An account's primary admin key, row-locked; NOT_FOUND names the account (every account has one). */
export async function lockPrimaryKey(manager: EntityManager, rawAccountId: string): Promise<ApiKey> {
  const accountId = parseId(rawAccountId);
  const key =
    accountId === null
      ? null
      : await forUpdate(manager, manager.getRepository(ApiKey).createQueryBuilder('key'))
          .where('key.accountId = :accountId AND key.isPrimary = :isPrimary', { accountId, isPrimary: true })
          .getOne();
  if (!key) throw new NotFoundError('Account', rawAccountId);
  return key;
}
