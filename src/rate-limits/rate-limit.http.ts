import { NextFunction, Request, Response } from 'express';
import { RateLimitedError, KeywardError } from '../common/errors';
import { poolOfPrincipal, RateLimitPool } from './rate-limit-pool';
import { RateLimitService, RateLimitState, secondsUntilReset } from './rate-limit.service';

/**
 * The RateLimit-* fields (IETF draft "RateLimit header fields for HTTP"),
 * and Retry-After when this request is refused for the pool being empty.
 */
export function rateLimitHeaders(state: RateLimitState, refused: boolean): Record<string, string> {
  const reset = String(secondsUntilReset(state));
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(state.limit),
    'RateLimit-Remaining': String(state.remaining),
    'RateLimit-Reset': reset,
  };
  if (refused) headers['Retry-After'] = reset;
  return headers;
}

export function rateLimitedError(pool: RateLimitPool, state: RateLimitState): RateLimitedError {
  const seconds = secondsUntilReset(state);
  return new RateLimitedError(
    `Rate limit of ${state.limit} requests per window exceeded for this ${pool.kind}'s pool; retry in ${seconds} s`,
    seconds,
  );
}

/**
 * The door for REST routes, after authentication: a request costs one point
 * of the caller's pool (`points: 0` for routes whose work is charged
 * elsewhere, which still report the pool). Over the limit: 429 with
 * Retry-After, answered by `onRefused` in the route's own error shape.
 * GraphQL is charged by rateLimitPlugin instead, once it knows how many root
 * fields the operation runs.
 */
export function rateLimitRequests(
  rateLimits: RateLimitService,
  onRefused: (res: Response, error: KeywardError) => void,
  points = 1,
) {
  return async (_req: Request, res: Response, next: NextFunction): Promise<void> => {
    const pool = poolOfPrincipal(res.locals.caller.principal);
    if (!pool) return next();
    try {
      if (points === 0) {
        res.set(rateLimitHeaders(await rateLimits.peek(pool), false));
        return next();
      }
      const state = await rateLimits.charge(pool, points);
      res.set(rateLimitHeaders(state, !state.allowed));
      if (state.allowed) next();
      else onRefused(res, rateLimitedError(pool, state));
    } catch (error) {
      next(error);
    }
  };
}
