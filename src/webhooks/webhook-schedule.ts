import { DELIVERY_TIMEOUT_MS } from './webhook-sender';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * After the nth failed attempt, the next comes this much later; after the
 * last, the delivery is FAILED and its endpoint FAILING (10 attempts over
 * about 3.3 days: a receiver down for a weekend still gets everything).
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  5 * SECOND,
  30 * SECOND,
  2 * MINUTE,
  10 * MINUTE,
  HOUR,
  6 * HOUR,
  24 * HOUR,
  24 * HOUR,
  24 * HOUR,
];

/**
 * Longer than an attempt can take (its timeout, then one write): a lease
 * that outlives it belongs to a process that died, and another takes the
 * attempt again, so a kill -9 delays a delivery by at most this much.
 */
export const LEASE_MS = DELIVERY_TIMEOUT_MS + 5 * SECOND;
