import { VerificationCode } from '../authentication/key-verification.type';
import { MAX_VERIFICATION_COST } from '../authentication/verification-options';
import { MAX_BODY_BYTES } from '../http/responses';
import { ALL_PERMISSIONS } from '../shared/permission';
import { UNAUTHORIZED_BODY } from './rest.errors';
import { KEY_USE_PROPERTIES, KEY_USE_REQUEST_PROPERTIES, VERIFIED_USE_PROPERTIES } from './openapi.key-uses';

/** The reusable parts of the OpenAPI document (openapi.ts): schemas, responses, headers, credentials. */

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: object) => ({ 'application/json': { schema } });
const header = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** Sent on every answer to a caller with a pool (see README's Rate limits), refusals included. */
export const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': header('RateLimitLimit'),
  'RateLimit-Remaining': header('RateLimitRemaining'),
  'RateLimit-Reset': header('RateLimitReset'),
  'RateLimit-Policy': header('RateLimitPolicy'),
  RateLimit: header('RateLimit'),
};

/** A 2xx answer of a route with a pool: `{"ok": true, "data": …}` and the pool's state. */
export const ok = (description: string, data: object, extra: Record<string, object> = {}) => ({
  description,
  headers: RATE_LIMIT_HEADERS,
  content: json({
    type: 'object',
    required: ['ok', 'data', ...Object.keys(extra)],
    additionalProperties: false,
    properties: { ok: { const: true }, data, ...extra },
  }),
});

/** An integer id, the way the contract writes ids (`"id": 45`). */
const id = (description?: string) => ({ type: 'integer', minimum: 1, examples: [45], ...(description ? { description } : {}) });

export const keyProperties = {
  id: id(),
  client_id: id('The client the key belongs to.'),
  key_name: { type: 'string' },
  prefix: { type: 'string', description: 'Display prefix, e.g. cl_4fQm9ZtX. Identifies the key; cannot authenticate.' },
  status: { type: 'string', enum: ['active', 'inactive', 'expired'] },
  permissions: { type: 'array', items: ref('Permission') },
  expires_at: { type: ['string', 'null'], format: 'date-time' },
  allowed_ips: {
    type: 'array',
    items: { type: 'string' },
    description: 'The addresses and CIDR ranges the key may be used from, normalised; empty: any address.',
  },
  scopes: { type: 'array', items: { type: 'string' }, description: 'The platform scopes the key holds, sorted; empty: none.' },
  ...KEY_USE_PROPERTIES,
  last_used_at: { type: ['string', 'null'], format: 'date-time', description: 'Updated a few seconds behind use.' },
  created_at: { type: 'string', format: 'date-time' },
};
const keyRequired = Object.keys(keyProperties);
const nullable = (schema: object) => ({ oneOf: [schema, { type: 'null' }] });
const named = {
  type: 'object',
  required: ['id', 'name'],
  additionalProperties: false,
  properties: { id: id(), name: { type: 'string' } },
};
/** A key's metadata: any JSON object of at most 4 KB as JSON, or null. */
const metadataSchema = {
  type: ['object', 'null'],
  description: "The platform's own data on the key: a JSON object, at most 4 KB as JSON.",
};
const rawKey = { type: 'string', description: 'The raw key. Shown in this answer only, never again: store it now.' };
const bodyCredential = { type: 'string', description: 'The credential, when it is not in a header or the query.' };

/** What a route's body may hold; any other field is refused with 422, so `additionalProperties` is false. */
const requestBody = (properties: Record<string, object>, required: string[] = []) => ({
  type: 'object',
  ...(required.length > 0 ? { required } : {}),
  additionalProperties: false,
  properties: { ...properties, api_key: bodyCredential },
});

const schemas = {
  Permission: { type: 'string', enum: [...ALL_PERMISSIONS] },
  ClientApiKey: { type: 'object', required: keyRequired, additionalProperties: false, properties: keyProperties },
  CreatedClientApiKey: {
    type: 'object',
    required: [...keyRequired, 'api_key'],
    additionalProperties: false,
    properties: { ...keyProperties, api_key: rawKey },
  },
  ResetClientApiKey: {
    type: 'object',
    required: [...keyRequired, 'api_key', 'previous_key_expires_at'],
    additionalProperties: false,
    properties: {
      ...keyProperties,
      api_key: rawKey,
      previous_key_expires_at: { type: 'string', format: 'date-time', description: 'Until when the old value still works.' },
    },
  },
  DeletedClientApiKey: {
    type: 'object',
    required: ['id', 'deleted'],
    additionalProperties: false,
    properties: { id: id(), deleted: { const: true } },
  },
  CreateClientApiKeyRequest: requestBody(
    {
      clientId: {
        description: 'Required with an admin credential. An integer, or one written as a string.',
        oneOf: [id(), { type: 'string', pattern: '^[1-9][0-9]*$' }],
      },
      keyName: {
        type: 'string',
        description: '1–100 characters after trimming: letters, digits, spaces, hyphens and underscores.',
        examples: ['zapier-sync'],
      },
      permissions: { type: 'array', items: ref('Permission'), default: [], description: 'None unless granted.' },
      expiresAt: { type: ['string', 'null'], format: 'date-time', description: 'In the future; cannot be changed later.' },
      allowed_ips: {
        type: ['array', 'null'],
        maxItems: 100,
        items: { type: 'string', examples: ['203.0.113.7', '10.0.0.0/8', '2001:db8::/32'] },
        description: 'IPv4/IPv6 addresses and CIDR ranges the key may be used from; absent or empty: any address.',
      },
      scopes: {
        type: ['array', 'null'],
        maxItems: 50,
        items: { type: 'string', examples: ['invoices:read'] },
        description: 'Platform scopes for the key (defined by the operator, clientAssignable, held by you); absent: none.',
      },
      ...KEY_USE_REQUEST_PROPERTIES,
    },
    ['keyName'],
  ),
  ResetClientApiKeyRequest: requestBody({ gracePeriodSeconds: { type: 'integer', minimum: 0, maximum: 604800, default: 0 } }),
  VerifyApiKeyRequest: requestBody(
    {
      key: { type: 'string', minLength: 1, description: 'The raw key to verify, as your service received it.' },
      required_scopes: {
        type: 'array',
        maxItems: 50,
        items: { type: 'string', examples: ['invoices:read'] },
        description: 'Platform scopes the key must hold (resource:action); INSUFFICIENT_SCOPE when one is missing.',
      },
      ip: {
        type: 'string',
        examples: ['203.0.113.7'],
        description: "The address the key's own caller came from, checked against the key's allowed IPs (IP_NOT_ALLOWED).",
      },
      cost: {
        type: 'integer',
        minimum: 0,
        maximum: MAX_VERIFICATION_COST,
        default: 1,
        description: 'Usage credits this verification costs.',
      },
      rate_limits: {
        type: 'array',
        maxItems: 20,
        description: "Which of the key's named rate limits to charge, with a cost each; omitted: every one, 1 point each.",
        items: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string' }, cost: { type: 'integer', minimum: 0, default: 1 } },
        },
      },
    },
    ['key'],
  ),
  KeyVerification: {
    type: 'object',
    description:
      'The details (prefix to rate_limits) are set when the verdict is about a key in reach (VALID, RATE_LIMITED, USAGE_EXCEEDED, ' +
      'IP_NOT_ALLOWED, INSUFFICIENT_SCOPE), and null otherwise.',
    required: [
      'valid',
      'code',
      'prefix',
      'kind',
      'account',
      'client',
      'permissions',
      'expires_at',
      'rate_limit',
      'metadata',
      'scopes',
      'remaining',
      'rate_limits',
    ],
    additionalProperties: false,
    properties: {
      valid: { type: 'boolean', description: 'Whether to accept the key now: `code` is VALID.' },
      code: { type: 'string', enum: Object.values(VerificationCode) },
      prefix: { type: ['string', 'null'], description: "The key's display prefix, e.g. sk_4fQm9ZtX." },
      kind: { type: ['string', 'null'], enum: ['admin', 'client', null] },
      account: nullable(named),
      client: nullable({
        ...named,
        required: [...named.required, 'external_id'],
        properties: {
          ...named.properties,
          external_id: { type: ['string', 'null'], description: "The platform's own id for this customer (externalId); null: none." },
        },
        description: 'For a client key, its client.',
      }),
      permissions: nullable({ type: 'array', items: ref('Permission') }),
      expires_at: { type: ['string', 'null'], format: 'date-time', description: 'Null if the key never expires.' },
      metadata: { ...metadataSchema, description: "The key's metadata, the platform's own data on it; null: none." },
      scopes: nullable({
        type: 'array',
        items: { type: 'string', examples: ['invoices:read'] },
        description: 'The platform scopes the key holds, sorted; empty: none.',
      }),
      ...VERIFIED_USE_PROPERTIES,
      rate_limit: nullable({
        type: 'object',
        description: "The verified key's pool after this verification, which counted against it.",
        required: ['limit', 'remaining', 'reset_at'],
        additionalProperties: false,
        properties: {
          limit: { type: 'integer', minimum: 0 },
          remaining: { type: 'integer', minimum: 0 },
          reset_at: { type: 'string', format: 'date-time' },
        },
      }),
    },
  },
  Error: {
    type: 'object',
    required: ['success', 'error'],
    additionalProperties: false,
    properties: {
      success: { const: false },
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', examples: ['BAD_USER_INPUT', 'FORBIDDEN', 'NOT_FOUND', 'LIMIT_EXCEEDED', 'RATE_LIMITED'] },
          message: { type: 'string' },
          field: { type: 'string', description: 'For BAD_USER_INPUT: the request field at fault.' },
          retryAfter: { type: 'integer', minimum: 0, description: 'For RATE_LIMITED: seconds until the pool refills.' },
        },
      },
    },
  },
  Unauthorized: { const: UNAUTHORIZED_BODY, description: 'Always exactly this body.' },
};

// RateLimit-* come with every answer to a caller with a pool; the platform operator has none.
const count = (description: string, required = false) => ({ description, required, schema: { type: 'integer', minimum: 0 } });
const ietf = (description: string, a: string, b: string) => ({
  description,
  schema: { type: 'string', pattern: `^"default";${a}=\\d+;${b}=\\d+` },
});
const headers = {
  RateLimitLimit: count("The caller's pool: requests per window."),
  RateLimitRemaining: count('Requests left in this window, this one included.'),
  RateLimitReset: count('Seconds until the pool is full again (a fixed window ends); on a 429, until a retry fits.'),
  RateLimitPolicy: ietf(
    'Quota policies (IETF draft-ietf-httpapi-ratelimit-headers): the pool is "default", q its limit, w its window (s).',
    'q',
    'w',
  ),
  RateLimit: ietf("Each policy's state, same draft: r what is left, t seconds until it resets (RateLimit-Remaining and -Reset).", 'r', 't'),
  RetryAfter: count('Seconds to wait before trying again: when the window ends.', true),
};

/** Answered before a credential is read (no pool yet): no RateLimit-* headers. */
const early = (description: string) => ({ description, content: json(ref('Error')) });
/** Answered once the caller is known: the pool's state comes along. */
const late = (description: string) => ({ description, headers: RATE_LIMIT_HEADERS, content: json(ref('Error')) });

const responses = {
  BadRequest: early('The body is not JSON, or not a JSON object.'),
  Unauthorized: {
    description: 'No credential, or one that failed (its reason is in WWW-Authenticate).',
    headers: { 'WWW-Authenticate': { description: 'Bearer, with the reason a credential failed.', schema: { type: 'string' } } },
    content: json(ref('Unauthorized')),
  },
  Forbidden: late('The credential lacks the permission, or the rule forbids it.'),
  NotFound: late('No such object in your scope.'),
  PayloadTooLarge: early(`The body is larger than ${MAX_BODY_BYTES}: code PAYLOAD_TOO_LARGE.`),
  ValidationFailed: late(
    'A field is invalid or unknown, or a query parameter malformed or unknown (`field` names it); or a key limit is reached.',
  ),
  RateLimited: {
    description: "The caller's pool is empty: code RATE_LIMITED. Nothing ran; retry after Retry-After seconds.",
    headers: { 'Retry-After': header('RetryAfter'), ...RATE_LIMIT_HEADERS },
    content: json(ref('Error')),
  },
};

/** How a credential is presented. The permission an operation needs is its `x-keyward-permission`, not a scope: scopes are OAuth's. */
const securitySchemes = {
  bearerAuth: { type: 'http', scheme: 'bearer', description: "An API key (sk_… or cl_…), or the platform operator's token." },
  apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key (sk_… or cl_…).' },
  apiKeyQuery: { type: 'apiKey', in: 'query', name: 'api_key', description: "An API key; masked in keyward's logs." },
};

export const COMPONENTS = { securitySchemes, schemas, responses, headers };
