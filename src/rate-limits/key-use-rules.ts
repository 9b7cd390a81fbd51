import { ApiKeyKind } from '../shared/api-key-kind';
import { RefillInterval } from '../credits/refill';

/** A key's usage credits, as a charge reads them: the row's values when the key was cached. */
export interface KeyCredits {
  /** What the row said was left: where a counter starts when it has nothing newer. */
  readonly remaining: number;
  readonly refillAmount: number | null;
  readonly refillInterval: RefillInterval | null;
  /** The creation day of the month is the MONTHLY refill day. */
  readonly createdAtMs: number;
  /** When the row's remaining was set whole; a counter older than that starts again from the row. */
  readonly lastRefillAtMs: number;
}

/** One of a key's named rate limits: `limit` uses per window of `durationMs`. */
export interface KeyLimitRule {
  readonly name: string;
  readonly limit: number;
  readonly durationMs: number;
}

/**
 * What a key's charges read besides its pool: its credits and its named
 * limits, with who the key is (for the onExhausted hook). Built once per
 * cached key and frozen; null for a key with neither, so such a key's
 * requests take the pool's path alone and allocate nothing here.
 */
export interface KeyUseRules {
  readonly keyId: number;
  readonly prefix: string;
  readonly accountId: number;
  readonly clientId: number | null;
  readonly kind: ApiKeyKind;
  readonly credits: KeyCredits | null;
  readonly limits: readonly KeyLimitRule[];
}

/** What this reads of an api_keys row (the entity lives in api-keys, which imports this folder). */
export interface KeyUseRow {
  id: number;
  prefix: string;
  accountId: number;
  clientId: number | null;
  kind: ApiKeyKind;
  createdAt: Date;
  remaining?: number | null;
  refillAmount?: number | null;
  refillInterval?: RefillInterval | null;
  lastRefillAt?: Date | null;
  rateLimits?: ReadonlyArray<{ name: string; limit: number; durationSeconds: number }>;
}

const NO_LIMITS: readonly KeyLimitRule[] = Object.freeze([]);

export function keyUseRules(row: KeyUseRow): KeyUseRules | null {
  const limits = row.rateLimits ?? [];
  // A row read without the credit columns (undefined) has none, like NULL.
  const remaining = row.remaining ?? null;
  if (remaining === null && limits.length === 0) return null;
  const credits: KeyCredits | null =
    remaining === null
      ? null
      : Object.freeze({
          remaining,
          refillAmount: row.refillInterval ? (row.refillAmount ?? null) : null,
          refillInterval: row.refillAmount ? (row.refillInterval ?? null) : null,
          createdAtMs: row.createdAt.getTime(),
          lastRefillAtMs: row.lastRefillAt?.getTime() ?? 0,
        });
  return Object.freeze({
    keyId: row.id,
    prefix: row.prefix,
    accountId: row.accountId,
    clientId: row.clientId,
    kind: row.kind,
    credits,
    limits:
      limits.length === 0
        ? NO_LIMITS
        : Object.freeze(limits.map((l) => Object.freeze({ name: l.name, limit: l.limit, durationMs: l.durationSeconds * 1000 }))),
  });
}
