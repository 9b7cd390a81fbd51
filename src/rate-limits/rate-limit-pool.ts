import { Principal } from '../shared/principal';
import { RateLimitWindow } from '../shared/rate-limit-window';

/**
 * One pool of requests per window, shared by everyone who draws from it:
 *
 * - every admin key of an account draws from the account's pool;
 * - every key of a client draws from that client's pool;
 * - each dashboard user has a pool of their own. Users are the account's own
 *   people, working through the host platform's page; putting them in the
 *   admin keys' pool would let a runaway integration lock out the person
 *   trying to revoke its key. Their own pool still bounds a script that
 *   replays a session token.
 *
 * All three hold the account's plan limit (`Account.rateLimitPerMinute`),
 * counted in the plan's window (`Account.rateLimitWindow`: fixed or sliding).
 * The operator and anonymous callers have no pool: the operator is one
 * trusted token that must keep working during an incident, and anonymous
 * callers reach only the public catalogue fields (bounded, like all
 * traffic, by the abuse limits in src/http/abuse-limits.ts; per-address
 * limits belong to the edge in front of keyward). Failed authentications
 * have a pool per client address (see failed-authentications.ts), and so
 * have leak reports, which take no credential (src/leaks/leak-report-limit.ts).
 */
export interface RateLimitPool {
  /** The counter's name in the store: unique per pool, stable across instances. */
  key: string;
  /** What the pool's kind is, for metrics: a closed set. */
  kind: 'account' | 'client' | 'user' | 'address';
  /** Requests per window. */
  limit: number;
  /**
   * True for an account whose plan says SLIDING (see sliding-windows.ts);
   * absent (false) for fixed windows, the default, and for address pools.
   */
  sliding?: boolean;
}

/** The pool an API key draws from, by the key's account and client. */
export function poolOfKey(
  key: { accountId: number; clientId: number | null },
  limit: number,
  window: RateLimitWindow = RateLimitWindow.FIXED,
): RateLimitPool {
  const pool: RateLimitPool =
    key.clientId === null
      ? { key: `account:${key.accountId}`, kind: 'account', limit }
      : { key: `client:${key.clientId}`, kind: 'client', limit };
  if (window === RateLimitWindow.SLIDING) pool.sliding = true;
  return pool;
}

/** Principals of cached keys live as long as their cache entry: each names its pool once. */
const poolsOfPrincipals = new WeakMap<Principal, RateLimitPool | null>();

/** The pool a caller draws from, or null for callers that are not limited. */
export function poolOfPrincipal(principal: Principal): RateLimitPool | null {
  let pool = poolsOfPrincipals.get(principal);
  if (pool === undefined) {
    pool = namePool(principal);
    poolsOfPrincipals.set(principal, pool);
  }
  return pool;
}

function namePool(principal: Principal): RateLimitPool | null {
  switch (principal.kind) {
    case 'api-key':
      return poolOfKey(principal, principal.rateLimitPerMinute, principal.rateLimitWindow);
    case 'user': {
      const pool: RateLimitPool = {
        key: `user:${principal.accountId}:${principal.sub}`,
        kind: 'user',
        limit: principal.rateLimitPerMinute,
      };
      if (principal.rateLimitWindow === RateLimitWindow.SLIDING) pool.sliding = true;
      return pool;
    }
    case 'operator':
    case 'anonymous':
      return null;
  }
}

/** A pool's state after a charge (or a look): what the RateLimit-* headers and `rateLimit` fields report. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** When the pool is full again (a fixed window's end); for a refused sliding charge, when it would fit. */
  resetAt: Date;
  /** Whether the charge fitted in the pool. A refused charge is still counted (in a fixed window). */
  allowed: boolean;
  /** The window the limit applies to, in seconds (RateLimit-Policy's w). */
  windowSeconds: number;
}
