import { ServerResponse } from 'node:http';
import { KeywardError } from '../shared/errors';
import { Principal } from '../shared/principal';
import { poolOfPrincipal } from '../rate-limits/rate-limit-pool';
import { rateLimitedError, RateLimitService, RateLimitState, secondsUntilReset } from '../rate-limits/rate-limit.service';

export { rateLimitedError };

/**
 * The RateLimit-* fields (IETF draft "RateLimit header fields for HTTP"),
 * and Retry-After when this request is refused for the pool being empty.
 */
export function setRateLimitHeaders(set: (name: string, value: string) => void, state: RateLimitState, refused: boolean): void {
  const reset = String(secondsUntilReset(state));
  set('RateLimit-Limit', String(state.limit));
  set('RateLimit-Remaining', String(state.remaining));
  set('RateLimit-Reset', reset);
  if (refused) set('Retry-After', reset);
}

/**
 * The door for REST routes, after authentication: a request costs `points`
 * of the caller's pool (0 for routes whose work is charged elsewhere, which
 * still report the pool), and its answer carries the pool's RateLimit-*
 * headers. Null: go on; over the limit, the 429 to answer (with Retry-After).
 * GraphQL is charged by rateLimitPlugin instead, once it knows how many root
 * fields the operation runs.
 */
export function chargeRequest(
  rateLimits: RateLimitService,
  res: ServerResponse,
  principal: Principal,
  points: number,
): null | KeywardError | Promise<null | KeywardError> {
  const pool = poolOfPrincipal(principal);
  if (!pool) return null;
  const answer = (state: RateLimitState): null | KeywardError => {
    const allowed = points === 0 || state.allowed;
    setRateLimitHeaders((name, value) => res.setHeader(name, value), state, !allowed);
    return allowed ? null : rateLimitedError(pool, state);
  };
  const state = points === 0 ? rateLimits.peek(pool) : rateLimits.charge(pool, points);
  return state instanceof Promise ? state.then(answer) : answer(state);
}
