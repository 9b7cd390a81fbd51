import { ServerResponse } from 'node:http';
import { KeywardError } from '../shared/errors';
import { ApiKeyPrincipal, Principal } from '../shared/principal';
import { UsageOutcome } from '../usage/usage-outcome';
import { poolOfPrincipal, RateLimitPool } from '../rate-limits/rate-limit-pool';
import { after } from '../shared/after';
import { rateLimitedError, RateLimitState, secondsUntilReset } from '../rate-limits/rate-limit.service';
import { chargeKeyUse, KeyCharge, keyChargeRefusal, KeyChargers, keyUsesOf, REQUEST_USE, retryAfterOf } from '../rate-limits/key-charge';
import { poolPolicyField, poolRateLimitField } from './rate-limit-fields';
import { addField } from './exchange';

export { rateLimitedError };

/**
 * The RateLimit-* fields (IETF draft "RateLimit header fields for HTTP"):
 * today's RateLimit-Limit/-Remaining/-Reset and the current draft's
 * RateLimit-Policy and RateLimit for the same pool (rate-limit-fields.ts),
 * and Retry-After when this request is refused: the pool's reset, or for a
 * key's named limit or credits the strictest refusal's wait (none for a key
 * out of credits without a refill: waiting will not help). Added to the
 * answer's head (addField): it must end in sendText or writeAnswerHead.
 */
export function setRateLimitHeaders(res: ServerResponse, state: RateLimitState, refused: boolean): void {
  const seconds = secondsUntilReset(state);
  addField(res, 'RateLimit-Limit', String(state.limit));
  addField(res, 'RateLimit-Remaining', String(state.remaining));
  addField(res, 'RateLimit-Reset', String(seconds));
  addField(res, 'RateLimit-Policy', poolPolicyField(state.limit, state.windowSeconds));
  addField(res, 'RateLimit', poolRateLimitField(state.remaining, seconds));
  if (!refused) return;
  const retryAfter = retryAfterOf(state);
  if (retryAfter !== null) addField(res, 'Retry-After', String(retryAfter));
}

/** How a charged request ended, for usage analytics. */
export function usageOutcomeOf(charge: KeyCharge): UsageOutcome {
  if (charge.allowed) return UsageOutcome.VALID;
  return charge.uses?.refusal === 'USAGE_EXCEEDED' ? UsageOutcome.USAGE_EXCEEDED : UsageOutcome.RATE_LIMITED;
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
 * GraphQL is charged by rateLimitHooks instead, once it knows how many root
 * fields the operation runs.
 */
export function chargeRequest(
  chargers: KeyChargers,
  res: ServerResponse,
  principal: Principal,
  points: number,
  usage?: RequestUsage,
): null | KeywardError | Promise<null | KeywardError> {
  const pool = poolOfPrincipal(principal);
  if (!pool) return null;
  const answer = (state: KeyCharge): null | KeywardError => {
    const allowed = points === 0 || state.allowed;
    if (points === 0) countRequest(usage, principal, UsageOutcome.VALID);
    setRateLimitHeaders(res, state, !allowed);
    return allowed ? null : keyChargeRefusal(pool, state);
  };
  // A route charged elsewhere (points 0) costs the key nothing here either: it only reports the pool.
  const state = points === 0 ? chargers.rateLimits.peek(pool) : chargeRequestUse(chargers, pool, principal, points, usage);
  return after(state, answer);
}

/**
 * A request's charge, for REST routes and GraphQL operations alike: `points`
 * of its pool and 1 of each of its key's named limits and credits (all or
 * nothing, chargeKeyUse), counted once in the usage analytics with how it
 * ended.
 */
export function chargeRequestUse(
  chargers: KeyChargers,
  pool: RateLimitPool,
  principal: Principal,
  points: number,
  usage: RequestUsage | undefined,
): KeyCharge | Promise<KeyCharge> {
  return after(chargeKeyUse(chargers, pool, points, keyUsesOf(principal), REQUEST_USE), (state) => {
    countRequest(usage, principal, usageOutcomeOf(state));
    return state;
  });
}
