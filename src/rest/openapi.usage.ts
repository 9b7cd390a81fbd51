import { Permission } from '../shared/permission';
import { USAGE_OUTCOMES } from '../usage/usage-outcome';
import { MAX_USAGE_BUCKETS } from '../usage/usage.types';
import { ok, ref } from './openapi.components';

/** The OpenAPI part of GET /api/v1/client/api-key/{id}/usage (key-usage.route.ts): spread into openapi.ts. */

const response = (name: string) => ({ $ref: `#/components/responses/${name}` });

export const USAGE_SCHEMAS = {
  UsageBucket: {
    type: 'object',
    required: ['start', 'outcome', 'count'],
    additionalProperties: false,
    description: 'How many uses (verifications of the key and requests made with it) ended with one outcome in one hour or day.',
    properties: {
      start: { type: 'string', format: 'date-time', description: 'The first instant of the hour or day (UTC).' },
      outcome: { type: 'string', enum: [...USAGE_OUTCOMES] },
      count: { type: 'integer', minimum: 1 },
    },
  },
};

export const USAGE_PATHS = {
  '/api/v1/client/api-key/usage/{id}': {
    get: {
      operationId: 'getClientApiKeyUsage',
      summary: "A client key's usage",
      tags: ['Client keys'],
      description:
        'The twin of the GraphQL ApiKey.usage: uses by outcome, per hour or per day (UTC), oldest first; buckets with no ' +
        'uses are left out. Counts are written behind, so the last few seconds (LAST_USED_FLUSH_SECONDS) may be missing. ' +
        `At most USAGE_RETENTION_DAYS (90 by default) from \`from\` to \`to\`, and at most ${MAX_USAGE_BUCKETS} buckets. Needs ${Permission.KEYS_READ}.`,
      security: [{ bearerAuth: [] }, { apiKeyHeader: [] }, { apiKeyQuery: [] }],
      'x-keyward-permission': Permission.KEYS_READ,
      parameters: [
        {
          name: 'id',
          in: 'path',
          required: true,
          description: "The id of a client key in your scope. Another account's key, an admin key, or no key at all: 404.",
          schema: { type: 'integer', minimum: 1 },
        },
        {
          name: 'from',
          in: 'query',
          required: true,
          schema: { type: 'string', format: 'date-time' },
          description: 'The range starts with the bucket holding this instant.',
        },
        {
          name: 'to',
          in: 'query',
          required: true,
          schema: { type: 'string', format: 'date-time' },
          description: 'The range ends before this instant: after `from`.',
        },
        { name: 'interval', in: 'query', schema: { type: 'string', enum: ['hour', 'day'], default: 'hour' } },
      ],
      responses: {
        '200': ok('The buckets, oldest first.', { type: 'array', items: ref('UsageBucket') }),
        '401': response('Unauthorized'),
        '403': response('Forbidden'),
        '404': response('NotFound'),
        '422': response('ValidationFailed'),
        '429': response('RateLimited'),
      },
    },
  },
};
