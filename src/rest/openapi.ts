import { KEY_VERIFICATION_PATH } from './key-verification.route';
import { VerificationCode } from '../authentication/key-verification.type';
import { ALL_PERMISSIONS, Permission } from '../shared/permission';
import { UNAUTHORIZED_BODY } from './rest.errors';

export const OPENAPI_PATH = '/openapi.json';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const ok = (data: object, extra: Record<string, object> = {}) => ({
  type: 'object',
  required: ['ok', 'data', ...Object.keys(extra)],
  additionalProperties: false,
  properties: { ok: { const: true }, data, ...extra },
});

/**
 * Any of the three header/query credentials, holding any one of `roles`.
 * OpenAPI 3.1 lets a non-OAuth requirement list the roles it needs: here a
 * permission, or `operator` for the platform operator's token. One role per
 * requirement, since a requirement's roles are all needed at once.
 */
const requires = (...roles: Array<Permission | 'operator'>) =>
  roles.flatMap((role) => [{ bearerAuth: [role] }, { apiKeyHeader: [role] }, { apiKeyQuery: [role] }]);

const errors = (...statuses: Array<keyof typeof ERROR_RESPONSES>) => ({
  ...Object.fromEntries(statuses.map((status) => [status, response(ERROR_RESPONSES[status])])),
  '401': response('Unauthorized'),
});
const ERROR_RESPONSES = {
  '400': 'BadRequest',
  '403': 'Forbidden',
  '404': 'NotFound',
  '422': 'ValidationFailed',
} as const;

const keyId = {
  name: 'id',
  in: 'path',
  required: true,
  description: "The id of a client key in your scope. Another account's key, an admin key, or no key at all: 404.",
  schema: { type: 'string', pattern: '^[0-9]+$' },
};

const keyProperties = {
  id: { type: 'integer', examples: [45] },
  client_id: { type: 'integer', description: 'The client the key belongs to.' },
  key_name: { type: 'string' },
  prefix: { type: 'string', description: 'Display prefix, e.g. cl_4fQm9ZtX. Identifies the key; cannot authenticate.' },
  status: { type: 'string', enum: ['active', 'inactive', 'expired'] },
  permissions: { type: 'array', items: ref('Permission') },
  expires_at: { type: ['string', 'null'], format: 'date-time' },
  last_used_at: { type: ['string', 'null'], format: 'date-time', description: 'Updated a few seconds behind use.' },
  created_at: { type: 'string', format: 'date-time' },
};
const keyRequired = Object.keys(keyProperties);
const nullable = (schema: object) => ({ oneOf: [schema, { type: 'null' }] });
const named = {
  type: 'object',
  required: ['id', 'name'],
  additionalProperties: false,
  properties: { id: { type: 'integer' }, name: { type: 'string' } },
};
const rawKey = { type: 'string', description: 'The raw key. Shown in this answer only, never again: store it now.' };

/** The REST routes, hand-written; test/rest/openapi.test.ts holds it to the router and to real answers. */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'keyward REST API',
    version: '1.0.0',
    description:
      'The client-key REST contract existing integrations speak: a thin adapter over the same services as the ' +
      'GraphQL API at /graphql, plus POST /v1/keys/verify, the twin of verifyApiKey. Credentials: `Authorization: Bearer <key>`, `X-API-Key`, the `api_key` query ' +
      'parameter, or an `api_key` field of a JSON body. Errors answer `{"success": false, "error": {"code", ' +
      '"message", "field"?}}` with the codes the GraphQL API uses.',
  },
  paths: {
    [OPENAPI_PATH]: {
      get: {
        operationId: 'getOpenApiDocument',
        summary: 'This document',
        security: [],
        responses: { '200': { description: 'The OpenAPI 3.1 document', content: json({ type: 'object' }) } },
      },
    },
    '/api/v1/client/api-key': {
      post: {
        operationId: 'createClientApiKey',
        summary: 'Create a client key',
        description:
          'Makes a key for one client sub-account. With a client key as credential, clientId may be omitted (its own ' +
          'client); an admin credential must name the client. You can grant only permissions you hold. Needs keys:write.',
        security: requires(Permission.KEYS_WRITE),
        requestBody: { required: true, content: json(ref('CreateClientApiKeyRequest')) },
        responses: {
          '200': { description: 'Created. `api_key` is the raw key, shown this once.', content: json(ok(ref('CreatedClientApiKey'))) },
          ...errors('400', '403', '404', '422'),
        },
      },
      get: {
        operationId: 'listClientApiKeys',
        summary: 'List client keys',
        description: "Client keys in your scope (a client key sees its own client's), newest first. Needs keys:read.",
        security: requires(Permission.KEYS_READ),
        parameters: [
          { name: 'clientId', in: 'query', schema: { type: 'integer', minimum: 1 }, description: "Only this client's keys." },
          { name: 'status', in: 'query', schema: { type: 'string', enum: ['active', 'inactive', 'expired'] } },
          { name: 'keyName', in: 'query', schema: { type: 'string', maxLength: 100 }, description: 'Partial, case-insensitive match.' },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 100, default: 50 } },
          { name: 'after', in: 'query', schema: { type: 'string' }, description: 'The `next_cursor` of the previous page.' },
        ],
        responses: {
          '200': {
            description: 'A page of keys, without their raw values.',
            content: json(
              ok(
                { type: 'array', items: ref('ClientApiKey') },
                { has_more: { type: 'boolean' }, next_cursor: { type: ['string', 'null'] } },
              ),
            ),
          },
          ...errors('403', '422'),
        },
      },
    },
    '/api/v1/client/api-key/{id}': {
      delete: {
        operationId: 'deleteClientApiKey',
        summary: 'Delete a client key',
        description: 'Gone at once, with no history but its audit events. Needs keys:write.',
        security: requires(Permission.KEYS_WRITE),
        parameters: [keyId],
        responses: {
          '200': { description: 'Deleted', content: json(ok(ref('DeletedClientApiKey'))) },
          ...errors('403', '404'),
        },
      },
    },
    '/api/v1/client/api-key/reset/{id}': {
      put: {
        operationId: 'resetClientApiKey',
        summary: 'Rotate a client key',
        description:
          'Same key (id, name, permissions), new value and prefix. The old value stops at once, or after ' +
          "`gracePeriodSeconds` (at most 7 days, never past the key's expiry) for zero-downtime rotation. " +
          'You must hold every permission the key holds. Needs keys:write.',
        security: requires(Permission.KEYS_WRITE),
        parameters: [keyId],
        requestBody: { required: false, content: json(ref('ResetClientApiKeyRequest')) },
        responses: {
          '200': { description: 'Reset. `api_key` is the new raw key, shown this once.', content: json(ok(ref('ResetClientApiKey'))) },
          ...errors('400', '403', '404', '422'),
        },
      },
    },
    [KEY_VERIFICATION_PATH]: {
      description: 'Any other method on this path answers 405 METHOD_NOT_ALLOWED in the error shape, with `Allow: POST`.',
      post: {
        operationId: 'verifyApiKey',
        summary: 'Verify an API key',
        description:
          'Whether a key presented to your service works, and what it may do: the twin of the GraphQL verifyApiKey. ' +
          'Answers 200 whatever the outcome (`code` says why a key does not work). The verification counts ' +
          "against the verified key's pool; your own pool is reported in RateLimit-* headers but not charged. " +
          "Needs keys:verify, or the platform operator's token.",
        security: requires(Permission.KEYS_VERIFY, 'operator'),
        requestBody: { required: true, content: json(ref('VerifyApiKeyRequest')) },
        responses: {
          '200': { description: 'The verification, valid or not.', content: json(ok(ref('KeyVerification'))) },
          ...errors('400', '403', '422'),
        },
      },
    },
  },
  components: {
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key (sk_… or cl_…).' },
      apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      apiKeyQuery: { type: 'apiKey', in: 'query', name: 'api_key', description: "Masked in keyward's logs." },
    },
    schemas: {
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
        properties: { id: { type: 'integer' }, deleted: { const: true } },
      },
      CreateClientApiKeyRequest: {
        type: 'object',
        required: ['keyName'],
        properties: {
          keyName: {
            type: 'string',
            description: '1–100 characters after trimming: letters, digits, spaces, hyphens and underscores.',
            examples: ['zapier-sync'],
          },
          clientId: { type: ['string', 'integer'], description: 'Required with an admin credential.' },
          permissions: { type: 'array', items: ref('Permission'), default: [], description: 'None unless granted.' },
          expiresAt: { type: ['string', 'null'], format: 'date-time', description: 'In the future; cannot be changed later.' },
          api_key: { type: 'string', description: 'The credential, when it is not in a header or the query.' },
        },
      },
      ResetClientApiKeyRequest: {
        type: 'object',
        properties: {
          gracePeriodSeconds: { type: 'integer', minimum: 0, maximum: 604800, default: 0 },
          api_key: { type: 'string', description: 'The credential, when it is not in a header or the query.' },
        },
      },
      VerifyApiKeyRequest: {
        type: 'object',
        required: ['key'],
        properties: {
          key: { type: 'string', minLength: 1, description: 'The raw key to verify, as your service received it.' },
          api_key: { type: 'string', description: 'Your credential, when it is not in a header or the query.' },
        },
      },
      KeyVerification: {
        type: 'object',
        description: 'The details (prefix to rate_limit) are set when `code` is VALID or RATE_LIMITED, and null otherwise.',
        required: ['valid', 'code', 'prefix', 'kind', 'account', 'client', 'permissions', 'expires_at', 'rate_limit'],
        additionalProperties: false,
        properties: {
          valid: { type: 'boolean', description: 'Whether to accept the key now: `code` is VALID.' },
          code: { type: 'string', enum: Object.values(VerificationCode) },
          prefix: { type: ['string', 'null'], description: "The key's display prefix, e.g. sk_4fQm9ZtX." },
          kind: { enum: ['admin', 'client', null] },
          account: nullable(named),
          client: nullable({ ...named, description: 'For a client key, its client.' }),
          permissions: nullable({ type: 'array', items: ref('Permission') }),
          expires_at: { type: ['string', 'null'], format: 'date-time', description: 'Null if the key never expires.' },
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
              code: { type: 'string', examples: ['BAD_USER_INPUT', 'FORBIDDEN', 'NOT_FOUND', 'LIMIT_EXCEEDED'] },
              message: { type: 'string' },
              field: { type: 'string', description: 'For BAD_USER_INPUT: the request field at fault.' },
            },
          },
        },
      },
      Unauthorized: { const: UNAUTHORIZED_BODY, description: 'Always exactly this body.' },
    },
    responses: {
      BadRequest: { description: 'The body is not JSON, or not a JSON object.', content: json(ref('Error')) },
      Unauthorized: {
        description: 'No credential, or one that failed (its reason is in WWW-Authenticate).',
        content: json(ref('Unauthorized')),
      },
      Forbidden: { description: 'The credential lacks the permission, or the rule forbids it.', content: json(ref('Error')) },
      NotFound: { description: 'No such object in your scope.', content: json(ref('Error')) },
      ValidationFailed: { description: 'A field is invalid (`field` names it), or a key limit is reached.', content: json(ref('Error')) },
    },
  },
} as const;
