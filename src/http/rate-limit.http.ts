import { NextFunction, Request, Response } from 'express';
import { KeywardError } from '../shared/errors';
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
 * The door for REST routes, after authentication: a request costs one point
 * of the caller's pool (`points: 0` for routes whose work is charged
 * elsewhere, which still report the pool). Over the limit: 429 with
 * Retry-After, answered by `onRefused` in the route's own error shape.
 * GraphQL is charged by rateLimitPlugin instead, once it knows how many root
 * fields the operation runs.
 */
export function rateLimitRequests(rateLimits: RateLimitService, onRefused: (res: Response, error: KeywardError) => void, points = 1) {
  return async (_req: Request, res: Response, next: NextFunction): Promise<void> => {
    const pool = poolOfPrincipal(res.locals.caller.principal);
    if (!pool) return next();
    try {
      const setHeader = (name: string, value: string) => res.setHeader(name, value);
      if (points === 0) {
        setRateLimitHeaders(setHeader, await rateLimits.peek(pool), false);
        return next();
      }
      const state = await rateLimits.charge(pool, points);
      setRateLimitHeaders(setHeader, state, !state.allowed);
      if (state.allowed) next();
      else onRefused(res, rateLimitedError(pool, state));
    } catch (error) {
      next(error);
    }
  };
}
