import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { ValueTransformer } from 'typeorm';
import { Public } from '../shared/auth.decorators';
import { BadUserInputError } from '../shared/errors';
import { LIMIT_NAME } from '../shared/platform-names';

export const MAX_KEY_RATE_LIMITS = 10;
export const MAX_LIMIT_DURATION_SECONDS = 86_400;
/** Far beyond any real limit; keeps counters and answers inside 32-bit integers. */
export const MAX_LIMIT = 1_000_000_000;

@ObjectType({
  description:
    "One of a key's own named rate limits: at most `limit` uses per window of `durationSeconds`, besides its pool. " +
    'Every request made with the key charges each one 1; a verification charges each 1, or those it names with their cost.',
  simpleResolvers: true,
})
// Public fields: only reachable through ApiKey.rateLimits, which checked the caller.
@Public()
export class KeyRateLimit {
  @Field({ description: 'Unique within the key, e.g. "search" or "tokens:write".' })
  name: string;

  @Field(() => Int)
  limit: number;

  @Field(() => Int, { description: 'The window, 1 to 86400 seconds. It slides: no interval this long ever holds more than limit uses.' })
  durationSeconds: number;
}

@InputType({ description: 'A named rate limit for a key: limit uses per durationSeconds.' })
export class KeyRateLimitInput {
  @Field({ description: 'Letters, digits and _ . : - (up to 64, starting with a letter or digit); unique within the key.' })
  name: string;

  @Field(() => Int, { description: `Uses per window: 1 to ${MAX_LIMIT}.` })
  limit: number;

  @Field(() => Int, { description: `The window in seconds: 1 to ${MAX_LIMIT_DURATION_SECONDS} (a day).` })
  durationSeconds: number;
}

@ObjectType({ description: "A named limit's state after a verification charged it (or, refused, as it stands).", simpleResolvers: true })
// Public fields: the object is only reachable through verifyApiKey, which checked the caller.
@Public()
export class KeyRateLimitState {
  @Field()
  name: string;

  @Field(() => Int)
  limit: number;

  @Field(() => Int, { description: 'Uses left in the current window.' })
  remaining: number;

  @Field({
    description:
      'Admitted: when the limit is whole again (its newest counted use has left the window). RATE_LIMITED by it: when this charge would fit.',
  })
  resetAt: Date;
}

/**
 * The key's named limits, checked: at most MAX_KEY_RATE_LIMITS, names of
 * LIMIT_NAME's shape and unique, whole numbers in range. Null or absent: none.
 * Each refusal names the field, and the entry (`rateLimits[2].limit`).
 */
export function normalizeKeyRateLimits(value: unknown, field = 'rateLimits'): KeyRateLimit[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new BadUserInputError(field, `${field} must be a list of { name, limit, durationSeconds }`);
  if (value.length > MAX_KEY_RATE_LIMITS) throw new BadUserInputError(field, `A key may have at most ${MAX_KEY_RATE_LIMITS} rate limits`);
  const seen = new Set<string>();
  return value.map((entry: unknown, i) => {
    const at = `${field}[${i}]`;
    const { name, limit, durationSeconds } = (entry ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || !LIMIT_NAME.test(name)) {
      throw new BadUserInputError(`${at}.name`, `${at}.name must be 1–64 letters, digits and _ . : - starting with a letter or digit`);
    }
    if (seen.has(name)) throw new BadUserInputError(`${at}.name`, `The rate limit "${name}" is named twice`);
    seen.add(name);
    return {
      name,
      limit: wholeNumber(limit, `${at}.limit`, 1, MAX_LIMIT),
      durationSeconds: wholeNumber(durationSeconds, `${at}.durationSeconds`, 1, MAX_LIMIT_DURATION_SECONDS),
    };
  });
}

function wholeNumber(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new BadUserInputError(field, `${field} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** api_keys.rate_limits: the list as JSON, NULL for a key without (every key so far). */
export const RATE_LIMITS_COLUMN: ValueTransformer = {
  to: (limits: readonly KeyRateLimit[] | undefined) =>
    limits === undefined ? undefined : limits.length === 0 ? null : JSON.stringify(limits),
  from: (stored: string | null) => (stored ? (JSON.parse(stored) as KeyRateLimit[]) : []),
};

/** What the handler reads of an api_keys row (the entity lives in api-keys, which imports this folder). */
interface LimitedKey {
  rateLimits: KeyRateLimit[];
}

/** updateApiKey's `rateLimits`: replaces the list (null or []: none). */
export const rateLimitsField = {
  next: (limits: KeyRateLimitInput[] | null): KeyRateLimit[] => normalizeKeyRateLimits(limits),
  current: (key: LimitedKey): KeyRateLimit[] =>
    key.rateLimits.map(({ name, limit, durationSeconds }) => ({ name, limit, durationSeconds })),
  apply: (key: LimitedKey, limits: KeyRateLimit[]): void => {
    key.rateLimits = limits;
  },
};
