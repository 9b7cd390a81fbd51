import { registerEnumType } from 'type-graphql';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

export enum ApiKeyStatus {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
  EXPIRED = 'EXPIRED',
}

registerEnumType(ApiKeyStatus, {
  name: 'ApiKeyStatus',
  description: 'EXPIRED wins over INACTIVE: an expired key can never work again.',
});

type Timed = { expiresAt: Date | null };

/**
 * A key is live until it expires (inactive keys are live: they count towards
 * the limits and can be activated again). The one statement of that rule, in
 * memory and in SQL; `now` in epoch milliseconds from the server's clock.
 */
export function isExpired(key: Timed, now: number): boolean {
  return key.expiresAt !== null && key.expiresAt.getTime() <= now;
}

export function statusOf(key: Timed & { active: boolean }, now: number): ApiKeyStatus {
  if (isExpired(key, now)) return ApiKeyStatus.EXPIRED;
  return key.active ? ApiKeyStatus.ACTIVE : ApiKeyStatus.INACTIVE;
}

/** Narrows a key query to live (unexpired) keys: what isExpired says, in SQL. */
export function whereLive<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, alias: string, now: number): SelectQueryBuilder<T> {
  return query.andWhere(`(${alias}.expiresAt IS NULL OR ${alias}.expiresAt > :liveAt)`, { liveAt: new Date(now) });
}

/** Status in SQL, not in memory, so pages and totalCount agree. EXPIRED wins over INACTIVE. */
export function whereStatus<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, alias: string, status: ApiKeyStatus, now: number): void {
  if (status === ApiKeyStatus.EXPIRED) {
    query.andWhere(`${alias}.expiresAt IS NOT NULL AND ${alias}.expiresAt <= :expiredAt`, { expiredAt: new Date(now) });
    return;
  }
  whereLive(query, alias, now).andWhere(`${alias}.active = :active`, { active: status === ApiKeyStatus.ACTIVE });
}
