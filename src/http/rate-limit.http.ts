import { ServerResponse } from 'node:http';
import { KeywardError } from '../shared/errors';
import { ApiKeyPrincipal, Principal } from '../shared/principal';
import { UsageOutcome } from '../usage/usage-outcome';
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

/** Where the requests made with keys are counted (usage analytics): the UsageRecorder. */
export interface RequestUsage {
  recordRequest(principal: ApiKeyPrincipal, outcome: UsageOutcome): void;
}

/**
 * Counts a request made with a key, once, with the outcome of its charge:
 * called where REST routes and GraphQL operations are charged, the two
 * places a request's fate is known (its key's refusals are counted by the
 * Authenticator). Other callers (operator, users, anonymous) have no key.
 */
export function countRequest(usage: RequestUsage | undefined, principal: Principal, outcome: UsageOutcome): void {
  if (usage && principal.kind === 'api-key') usage.recordRequest(principal, outcome);
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
  usage?: RequestUsage,
): null | KeywardError | Promise<null | KeywardError> {
  const pool = poolOfPrincipal(principal);
  if (!pool) return null;
  const answer = (state: RateLimitState): null | KeywardError => {
    const allowed = points === 0 || state.allowed;
    countRequest(usage, principal, allowed ? UsageOutcome.VALID : UsageOutcome.RATE_LIMITED);
    setRateLimitHeaders((name, value) => res.setHeader(name, value), state, !allowed);
    return allowed ? null : rateLimitedError(pool, state);
  };
  const state = points === 0 ? rateLimits.peek(pool) : rateLimits.charge(pool, points);
  return state instanceof Promise ? state.then(answer) : answer(state);
}
