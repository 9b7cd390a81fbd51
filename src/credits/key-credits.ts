import { BadUserInputError } from '../shared/errors';
import { MAX_CREDITS, RefillInterval } from './refill';

/**
 * A key's usage credits as its api_keys row holds them, seen from here (the
 * entity lives in api-keys, which imports this folder).
 *
 * `lastRefillAt` is when `remaining` was last set whole: at creation, by an
 * updateApiKey of remaining or refill, or by a refill. Every charge counter
 * (Redis, or this process) starts again from the row when the row's time is
 * later than its own: that is how a change made with updateApiKey replaces
 * a count in progress on every instance.
 */
export interface CreditedKey {
  remaining: number | null;
  refillAmount: number | null;
  refillInterval: RefillInterval | null;
  lastRefillAt: Date | null;
}

export interface RefillValue {
  amount: number;
  interval: RefillInterval;
}

/**
 * createApiKey's credits: none (unlimited) when neither is given; a refill
 * without remaining starts full (remaining = its amount).
 */
export function creditsAtCreation(remaining: unknown, refill: unknown, nowMs: number): CreditedKey {
  const every = refill === undefined || refill === null ? null : refillValue(refill, 'refill');
  const left = remaining === undefined || remaining === null ? (every?.amount ?? null) : creditCount(remaining, 'remaining');
  return {
    remaining: left,
    refillAmount: every?.amount ?? null,
    refillInterval: every?.interval ?? null,
    lastRefillAt: left === null ? null : new Date(nowMs),
  };
}

export function creditCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_CREDITS) {
    throw new BadUserInputError(field, `${field} must be a whole number of credits from 0 to ${MAX_CREDITS}`);
  }
  return value;
}

export function refillValue(value: unknown, field: string): RefillValue {
  const { amount, interval } = (value ?? {}) as Record<string, unknown>;
  if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 1 || amount > MAX_CREDITS) {
    throw new BadUserInputError(`${field}.amount`, `${field}.amount must be a whole number from 1 to ${MAX_CREDITS}`);
  }
  if (interval !== RefillInterval.DAILY && interval !== RefillInterval.MONTHLY) {
    throw new BadUserInputError(`${field}.interval`, `${field}.interval must be DAILY or MONTHLY`);
  }
  return { amount, interval };
}

/**
 * The time a change of credits stamps: now, and always later than the row's
 * last one, so every counter sees the row as newer than what it counted.
 */
function stampAfter(key: CreditedKey, nowMs: number): Date {
  return new Date(Math.max(nowMs, (key.lastRefillAt?.getTime() ?? 0) + 1));
}

/** What of updateApiKey's context a credits field reads: the server's clock. */
interface UpdateTime {
  nowMs: number;
}

/**
 * A number given to updateApiKey's remaining: always applied, even when the
 * row already holds it, because the row lags the live count (written behind)
 * and setting it must start the count again.
 */
interface CreditsSet {
  set: number;
}

/** updateApiKey's `remaining` (null: unlimited, which drops the refill too: a refill needs credits to refill). */
export const remainingField = {
  next: (remaining: number | null): CreditsSet | null => (remaining === null ? null : { set: creditCount(remaining, 'remaining') }),
  current: (key: CreditedKey): number | null => key.remaining,
  apply: (key: CreditedKey, remaining: CreditsSet | number | null, { nowMs }: UpdateTime): void => {
    const value = creditsValue(remaining);
    key.lastRefillAt = value === null ? null : stampAfter(key, nowMs);
    key.remaining = value;
    if (value === null) {
      key.refillAmount = null;
      key.refillInterval = null;
    }
  },
  audited: (remaining: CreditsSet | number | null): number | null => creditsValue(remaining),
};

function creditsValue(remaining: CreditsSet | number | null): number | null {
  return remaining !== null && typeof remaining === 'object' ? remaining.set : remaining;
}

/**
 * updateApiKey's `refill` (null: none). A new refill leaves remaining as it
 * is; on a key without credits it starts them full.
 */
export const refillField = {
  next: (refill: RefillValue | null): RefillValue | null => (refill === null ? null : refillValue(refill, 'refill')),
  current: (key: CreditedKey): RefillValue | null =>
    key.refillAmount === null || key.refillInterval === null ? null : { amount: key.refillAmount, interval: key.refillInterval },
  apply: (key: CreditedKey, refill: RefillValue | null, { nowMs }: UpdateTime): void => {
    key.refillAmount = refill?.amount ?? null;
    key.refillInterval = refill?.interval ?? null;
    if (refill !== null && key.remaining === null) {
      key.lastRefillAt = stampAfter(key, nowMs);
      key.remaining = refill.amount;
    }
  },
};

/** A key without credits (the primary key, and every key not given any). */
export const NO_CREDITS: CreditedKey = Object.freeze({ remaining: null, refillAmount: null, refillInterval: null, lastRefillAt: null });
