import { registerEnumType } from 'type-graphql';

/**
 * How an account's pools count their window (Account.rateLimitWindow, the
 * operator's plan setting). In src/shared because principals carry it: a
 * cached key's principal names its pool once (rate-limit-pool.ts).
 */
export enum RateLimitWindow {
  FIXED = 'FIXED',
  SLIDING = 'SLIDING',
}

export const DEFAULT_RATE_LIMIT_WINDOW = RateLimitWindow.FIXED;

/** Parsed from the CLI's --rate-limit-window, in either case; null: not a window. */
export function rateLimitWindowNamed(name: string): RateLimitWindow | null {
  const upper = name.toUpperCase();
  return upper === RateLimitWindow.FIXED || upper === RateLimitWindow.SLIDING ? upper : null;
}

registerEnumType(RateLimitWindow, {
  name: 'RateLimitWindow',
  description: "How the account's pools count requests per window (the plan limit, rateLimitPerMinute).",
  valuesConfig: {
    FIXED: {
      description:
        'The default: a window opens with its first request and the pool is full again when it ends. Up to twice the limit ' +
        'can pass within one window length across its edge: the limit just before it ends, the limit again just after.',
    },
    SLIDING: {
      description:
        'Never more than the limit in ANY window-length interval, across all instances (with Redis): every admitted request ' +
        'counts until between one window and one window plus a sixtieth of it after it was admitted (one-sixtieth buckets, ' +
        'counted conservatively), and refused requests do not count.',
    },
  },
});
