import { ApolloServerPlugin } from '@apollo/server';
import { RequestContext } from './context';
import { poolOfPrincipal } from '../rate-limits/rate-limit-pool';
import { rateLimitedError, setRateLimitHeaders } from '../http/rate-limit.http';
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
 * with a pool carries the RateLimit-* headers.
 */
export function rateLimitPlugin(rateLimits: RateLimitService): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const pool = poolOfPrincipal(contextValue.caller.principal);
      if (!pool) return;
      let state: RateLimitState | null = null;
      let refused = false;
      return {
        async didResolveOperation({ document, operation, response }) {
          // An earlier plugin (the abuse limits) already refused it: it will not run, so it costs nothing.
          if ((response.http.status ?? 200) >= 400) return;
          // No operation: the document names none that exists, and execution will refuse it.
          const cost = operation ? operationCost(document, operation) : 0;
          if (cost === 0) return;
          const charged = rateLimits.charge(pool, cost);
          state = charged instanceof Promise ? await charged : charged;
          if (state.allowed) return;
          refused = true;
          response.http.status = 429;
          throw rateLimitedError(pool, state);
        },
        async willSendResponse({ response }) {
          state ??= await rateLimits.peek(pool);
          const { headers } = response.http;
          setRateLimitHeaders((name, value) => headers.set(name, value), state, refused);
        },
      };
    },
  };
}
