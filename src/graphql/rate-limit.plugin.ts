import { ServerResponse } from 'node:http';
import { RequestContext } from './context';
import { poolOfPrincipal, RateLimitPool } from '../rate-limits/rate-limit-pool';
import { RequestHooks } from '../http/request-hooks';
import { chargeRequestUse, countRequest, RequestUsage, setRateLimitHeaders } from '../http/rate-limit.http';
import { KeyCharge, keyChargeRefusal, KeyChargers } from '../rate-limits/key-charge';
import { UsageOutcome } from '../usage/usage-outcome';
import { RateLimitService, RateLimitState } from '../rate-limits/rate-limit.service';
import { operationCost } from './operation-cost';

/**
 * Charges GraphQL requests, once Apollo has parsed, validated and picked the
 * operation that will run (didResolveOperation): one point per root field
 * (see operationCost), so aliases and fragments cannot fit many operations
 * into one request, and Apollo's batched HTTP requests stay off (app.ts).
 *
 * Why here and not at the door: only the parsed operation says what a
 * request costs, and Apollo resolves it for every way a document arrives
 * (POST body, GET parameters, persisted-query hashes) without the door
 * re-implementing any of them. A request whose document fails to parse or
 * validate runs nothing and is not charged; that work is bounded by the
 * abuse limits (src/http/abuse-limits.ts), as it is for anonymous callers.
 *
 * Over the limit: the operation does not run; the answer is 429 with
 * Retry-After and RATE_LIMITED, in GraphQL's shape. Every answer to a caller
 * with a pool carries the RateLimit-* headers (writeRateLimitHeaders).
 */
export function rateLimitHooks(chargers: KeyChargers, usage?: RequestUsage): RequestHooks<RequestContext> {
  return {
    didResolveOperation({ contextValue, document, operation, response }) {
      const { principal } = contextValue.caller;
      const pool = poolOfPrincipal(principal);
      // No pool (anonymous, the operator): nothing to charge.
      if (!pool) return;
      // An earlier hook (the abuse limits) already refused it: it will not run, so it costs nothing.
      if ((response.http.status ?? 200) >= 400) return;
      // No operation: the document names none that exists, and execution will refuse it.
      const cost = operation ? operationCost(document, operation) : 0;
      // Free operations (verifyApiKey alone) still ran with the key: counted as admitted.
      if (cost === 0) return countRequest(usage, principal, UsageOutcome.VALID);
      // The key's credits and named limits too, 1 each per request (chargeKeyUse: all or nothing).
      const charged = chargeRequestUse(chargers, pool, principal, cost, usage);
      return charged instanceof Promise
        ? charged.then((state) => settle(contextValue, response, pool, state))
        : settle(contextValue, response, pool, charged);
    },
  };
}

/** Keeps what the charge left for the headers; a refused one becomes the request's 429. */
function settle(context: RequestContext, response: { http: { status?: number } }, pool: RateLimitPool, state: KeyCharge): void {
  context.rateLimit.state = state;
  context.rateLimit.refused = !state.allowed;
  if (state.allowed) return;
  response.http.status = 429;
  throw keyChargeRefusal(pool, state);
}

/**
 * The RateLimit-* headers of a GraphQL answer to a caller with a pool: what
 * its charge left, or the pool as it stands when nothing was charged (a
 * document that did not run). Written by the /graphql endpoint straight onto
 * the answer.
 */
export function writeRateLimitHeaders(rateLimits: RateLimitService, context: RequestContext, res: ServerResponse): void | Promise<void> {
  const pool = poolOfPrincipal(context.caller.principal);
  if (!pool) return;
  const { state: charged, refused } = context.rateLimit;
  if (charged) return setRateLimitHeaders(res, charged, refused);
  const state = rateLimits.peek(pool);
  if (!(state instanceof Promise)) return setRateLimitHeaders(res, state, refused);
  return state.then((peeked: RateLimitState) => setRateLimitHeaders(res, peeked, refused));
}
