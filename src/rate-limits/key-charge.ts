import { BadUserInputError, KeywardError, RateLimitedError, UsageExceededError } from '../shared/errors';
import { Principal } from '../shared/principal';
import { after } from '../shared/after';
import { KeyUseDemand, KeyUseOutcome, LimitCharge } from './key-use-ledger';
import { KeyUseRules } from './key-use-rules';
import { KeyUseService } from './key-use.service';
import { RateLimitPool } from './rate-limit-pool';
import { rateLimitedError, RateLimitService, RateLimitState, secondsUntilReset } from './rate-limit.service';

/**
 * A use's charge: the pool's state (what the RateLimit-* headers report),
 * `allowed` for the use as a whole, and for a key with credits or named
 * limits what became of them.
 */
export interface KeyCharge extends RateLimitState {
  uses?: KeyUseReport;
}

export interface KeyUseReport {
  outcome: KeyUseOutcome;
  /** Why the use was refused (POOL: its pool was empty; RATE_LIMITED: a named limit); null when it was not. */
  refusal: 'POOL' | 'RATE_LIMITED' | 'USAGE_EXCEEDED' | null;
  /** Seconds until the refused use could succeed; null when waiting will not help (no credits and no refill). */
  retryAfterSeconds: number | null;
}

/** What a use asks besides its pool points: credits, and named limits by name (null: every one, 1 each). */
export interface KeyUseRequest {
  credits: number;
  limits: ReadonlyArray<{ name: string; cost: number }> | null;
}

/** An authenticated request: 1 credit and 1 of every named limit. */
export const REQUEST_USE: KeyUseRequest = Object.freeze({ credits: 1, limits: null });

export interface KeyChargers {
  rateLimits: RateLimitService;
  keyUses: KeyUseService;
}

/**
 * The one composition of a key's charges, for verifications and
 * authenticated requests alike: the key's pool (its account's or client's),
 * then its named limits and its credits, judged together. All or nothing: a
 * use refused by its named limits or credits gives the pool back what it
 * took, and one refused by the pool takes nothing from the others. The
 * strictest refusal wins: the one that would keep the use out longest.
 *
 * `look`: the use was refused by an earlier check (address, scopes): nothing
 * is charged and the answer reports the state as it is.
 *
 * A key without credits or named limits (rules null) costs the pool charge
 * alone and gets the pool's state itself back: no allocation and no call
 * besides the pool's, synchronous while the pool's lease covers it.
 */
export function chargeKeyUse(
  chargers: KeyChargers,
  pool: RateLimitPool,
  points: number,
  rules: KeyUseRules | null,
  request: KeyUseRequest,
  mode: 'charge' | 'look' = 'charge',
): KeyCharge | Promise<KeyCharge> {
  const { rateLimits, keyUses } = chargers;
  if (rules === null) {
    // Checked before anything is charged, like every limit name.
    if (request.limits !== null && request.limits.length > 0) namedCharges(null, request.limits);
    return mode === 'look' ? rateLimits.peek(pool) : rateLimits.charge(pool, points);
  }
  const demand = demandOf(rules, request);
  const pooled = mode === 'look' ? rateLimits.peek(pool) : rateLimits.charge(pool, points);
  return after(pooled, (state) => {
    const commit = mode === 'charge' && state.allowed;
    return after(keyUses.charge(rules, demand, commit), (outcome): KeyCharge => {
      if (mode === 'look') return withUses(state, { outcome, refusal: null, retryAfterSeconds: null });
      if (!state.allowed) return withUses(state, { outcome, refusal: 'POOL', retryAfterSeconds: secondsUntilReset(state) });
      if (outcome.allowed) return withUses(state, { outcome, refusal: null, retryAfterSeconds: null });
      rateLimits.refund(pool, points, state);
      return withUses({ ...state, remaining: Math.min(state.limit, state.remaining + points), allowed: false }, strictestRefusal(outcome));
    });
  });
}

/**
 * The pool's state with the key's uses beside it. The state is the one
 * charge() or peek() made for this call alone (a new object each time, held
 * by nothing else), so it is given the field rather than copied: a copy
 * (a spread) of every field was the largest piece of a featured key's charge.
 */
function withUses(state: RateLimitState, uses: KeyUseReport): KeyCharge {
  (state as KeyCharge).uses = uses;
  return state;
}

/** The refusal that keeps the use out longest: no credits and no refill beats any wait. */
function strictestRefusal(outcome: KeyUseOutcome): KeyUseReport {
  const now = outcome.nowMs;
  let refusal: KeyUseReport['refusal'] = null;
  let wait = 0;
  for (const limit of outcome.limits) {
    if (limit.allowed) continue;
    const seconds = Math.max(1, Math.ceil((limit.resetAtMs - now) / 1000));
    if (refusal === null || seconds > wait) {
      refusal = 'RATE_LIMITED';
      wait = seconds;
    }
  }
  const { credits } = outcome;
  if (credits && !credits.allowed) {
    const seconds = credits.nextRefillAtMs === null ? Infinity : Math.max(1, Math.ceil((credits.nextRefillAtMs - now) / 1000));
    if (refusal === null || seconds >= wait) {
      refusal = 'USAGE_EXCEEDED';
      wait = seconds;
    }
  }
  return { outcome, refusal, retryAfterSeconds: Number.isFinite(wait) ? wait : null };
}

/** Every named limit at 1, per key rules: a request's demand, made once per cached key. */
const allLimitsOnce = new WeakMap<KeyUseRules, readonly LimitCharge[]>();

/** The credits and named limits a use charges; an unknown limit name is the caller's mistake, named. */
function demandOf(rules: KeyUseRules, request: KeyUseRequest): KeyUseDemand {
  if (request.limits === null) {
    let limits = allLimitsOnce.get(rules);
    if (!limits) {
      limits = Object.freeze(rules.limits.map((rule) => Object.freeze({ rule, cost: 1 })));
      allLimitsOnce.set(rules, limits);
    }
    return request === REQUEST_USE ? requestDemandOf(rules, limits) : { credits: request.credits, limits };
  }
  return { credits: request.credits, limits: namedCharges(rules, request.limits) };
}

const requestDemands = new WeakMap<KeyUseRules, KeyUseDemand>();

function requestDemandOf(rules: KeyUseRules, limits: readonly LimitCharge[]): KeyUseDemand {
  let demand = requestDemands.get(rules);
  if (!demand) requestDemands.set(rules, (demand = Object.freeze({ credits: 1, limits })));
  return demand;
}

/** Checks limit names before anything is charged; a verification of a key without limits may name none. */
export function namedCharges(rules: KeyUseRules | null, charges: ReadonlyArray<{ name: string; cost: number }>): LimitCharge[] {
  return charges.map(({ name, cost }, i) => {
    const rule = rules?.limits.find((limit) => limit.name === name);
    if (!rule) throw new BadUserInputError(`rateLimits[${i}].name`, `The key has no rate limit named "${name}"`);
    return { rule, cost };
  });
}

/** The refusal of a request whose charge was refused: 429 with the code and Retry-After of the strictest refusal. */
export function keyChargeRefusal(pool: RateLimitPool, charge: KeyCharge): KeywardError {
  const uses = charge.uses;
  if (!uses || uses.refusal === null || uses.refusal === 'POOL') return rateLimitedError(pool, charge);
  if (uses.refusal === 'USAGE_EXCEEDED') {
    const when = uses.retryAfterSeconds === null ? 'it has no refill' : `it refills in ${uses.retryAfterSeconds} s`;
    return new UsageExceededError(`This key has no usage credits left; ${when}`, uses.retryAfterSeconds);
  }
  const refused = uses.outcome.limits.filter((limit) => !limit.allowed).map((limit) => limit.rule.name);
  if (refused.length === 0) return rateLimitedError(pool, charge);
  const seconds = uses.retryAfterSeconds ?? secondsUntilReset(charge);
  return new RateLimitedError(
    `This key's rate limit ${refused.map((n) => `"${n}"`).join(', ')} is used up; retry in ${seconds} s`,
    seconds,
  );
}

/** Retry-After for a refused charge: the strictest refusal's wait, or the pool's; null: none to give. */
export function retryAfterOf(state: RateLimitState | KeyCharge): number | null {
  const uses = (state as KeyCharge).uses;
  if (uses && (uses.refusal === 'RATE_LIMITED' || uses.refusal === 'USAGE_EXCEEDED')) return uses.retryAfterSeconds;
  return secondsUntilReset(state);
}

/**
 * The credits and named limits of the key a principal authenticated with,
 * for the requests it makes: set once when the principal is built (one per
 * cached key record), and only for keys that have them.
 */
const usesOfPrincipals = new WeakMap<Principal, KeyUseRules>();

export function rememberKeyUses(principal: Principal, rules: KeyUseRules): void {
  usesOfPrincipals.set(principal, rules);
}

/** Null for every caller but one authenticated with a key that has credits or named limits. */
export function keyUsesOf(principal: Principal): KeyUseRules | null {
  return principal.kind === 'api-key' ? (usesOfPrincipals.get(principal) ?? null) : null;
}
