import { MAX_CREDITS } from '../credits/refill';
import { MAX_KEY_RATE_LIMITS, MAX_LIMIT, MAX_LIMIT_DURATION_SECONDS } from '../rate-limits/key-rate-limits';
import { LIMIT_NAME } from '../shared/platform-names';

/**
 * The OpenAPI schemas of a key's usage credits and named rate limits, in the
 * REST contract's snake_case: on a key, in the create request, and in a
 * verification's answer (see openapi.components.ts, which spreads them in).
 */
const nullable = (schema: object) => ({ oneOf: [schema, { type: 'null' }] });

export const KEY_USE_PROPERTIES = {
  remaining: {
    type: ['integer', 'null'],
    minimum: 0,
    description: 'Usage credits left, as last written (a few seconds behind use); null: unlimited.',
  },
  refill: {
    oneOf: [
      {
        type: 'object',
        required: ['amount', 'interval'],
        additionalProperties: false,
        properties: { amount: { type: 'integer', minimum: 1 }, interval: { type: 'string', enum: ['daily', 'monthly'] } },
      },
      { type: 'null' },
    ],
    description: 'remaining is set back to amount every day (00:00 UTC) or month (on the creation day); null: never.',
  },
  last_refill_at: { type: ['string', 'null'], format: 'date-time', description: 'When remaining was last set whole; null: no credits.' },
  rate_limits: {
    type: 'array',
    description: "The key's own named rate limits, besides its pool; empty: none.",
    items: {
      type: 'object',
      required: ['name', 'limit', 'duration_seconds'],
      additionalProperties: false,
      properties: {
        name: { type: 'string' },
        limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT },
        duration_seconds: { type: 'integer', minimum: 1, maximum: MAX_LIMIT_DURATION_SECONDS },
      },
    },
  },
};

export const KEY_USE_REQUEST_PROPERTIES = {
  remaining: {
    type: ['integer', 'null'],
    minimum: 0,
    maximum: MAX_CREDITS,
    description: "Usage credits: each request costs 1, each verification its cost. Absent: unlimited, or the refill's amount.",
  },
  refill: {
    type: ['object', 'null'],
    required: ['amount', 'interval'],
    properties: {
      amount: { type: 'integer', minimum: 1, maximum: MAX_CREDITS },
      interval: { type: 'string', enum: ['daily', 'monthly'] },
    },
    description: 'Sets remaining back to amount every day (00:00 UTC) or month (on the creation day). Absent: never.',
  },
  rate_limits: {
    type: ['array', 'null'],
    maxItems: MAX_KEY_RATE_LIMITS,
    items: {
      type: 'object',
      required: ['name', 'limit', 'duration_seconds'],
      properties: {
        name: { type: 'string', pattern: LIMIT_NAME.source },
        limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT },
        duration_seconds: { type: 'integer', minimum: 1, maximum: MAX_LIMIT_DURATION_SECONDS },
      },
    },
    description: 'Named rate limits for the key, besides its pool, with unique names. Absent: none.',
  },
};

export const VERIFIED_USE_PROPERTIES = {
  remaining: {
    type: ['integer', 'null'],
    minimum: 0,
    description: "The key's usage credits left after this verification (USAGE_EXCEEDED: left now); null: unlimited.",
  },
  rate_limits: nullable({
    type: 'array',
    description: "The key's named limits this verification charged, after the charge; empty: the key has none.",
    items: {
      type: 'object',
      required: ['name', 'limit', 'remaining', 'reset_at'],
      additionalProperties: false,
      properties: {
        name: { type: 'string' },
        limit: { type: 'integer', minimum: 1 },
        remaining: { type: 'integer', minimum: 0 },
        reset_at: {
          type: 'string',
          format: 'date-time',
          description: 'Admitted: when the limit is whole again; refused: when this charge would fit.',
        },
      },
    },
  }),
};
