/**
 * Where "now" comes from for every rule that depends on time: expiry, grace
 * periods, key status, cache lifetimes. The server takes one (the system's by
 * default), so tests move time forward instead of waiting for it.
 */
export interface Clock {
  /** Milliseconds since the epoch, like Date.now(). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
