import { KEY_VERIFICATION_PATH } from './key-verification.route';
import { Permission } from '../shared/permission';
import { COMPONENTS, json, ok, ref } from './openapi.components';
import { LEAK_PATHS, LEAK_SCHEMAS, LEAKS_TAG } from './openapi.leaks';
import { USAGE_PATHS, USAGE_SCHEMAS } from './openapi.usage';

export const OPENAPI_PATH = '/openapi.json';

const response = (name: string) => ({ $ref: `#/components/responses/${name}` });

/**
 * Any of the three credentials, holding `permission`. Security scopes are
 * OAuth's, and these schemes are not OAuth: the permission is the
 * operation's `x-keyward-permission` (`x-keyward-operator`: the platform
 * operator's token works too), and its description says it in words.
 */
const secured = (permission: Permission, description: string, operatorToo = false) => ({
  description: `${description} Needs ${permission}${operatorToo ? ", or the platform operator's token" : ''}.`,
  security: [{ bearerAuth: [] }, { apiKeyHeader: [] }, { apiKeyQuery: [] }],
  'x-keyward-permission': permission,
  ...(operatorToo ? { 'x-keyward-operator': true } : {}),
});

/** The refusals an operation can end in; 401 for all. */
const errors = (...statuses: Array<keyof typeof ERROR_RESPONSES>) => ({
  '401': response('Unauthorized'),
  ...Object.fromEntries(statuses.map((status) => [status, response(ERROR_RESPONSES[status])])),
});
const ERROR_RESPONSES = {
  '400': 'BadRequest',
  '403': 'Forbidden',
  '404': 'NotFound',
  '413': 'PayloadTooLarge',
  '422': 'ValidationFailed',
  '429': 'RateLimited',
} as const;

const keyId = {
  name: 'id',
  in: 'path',
  required: true,
  description: "The id of a client key in your scope. Another account's key, an admin key, or no key at all: 404.",
  schema: { type: 'integer', minimum: 1 },
};

const KEYS = 'Client keys';
const VERIFICATION = 'Verification';
const DOCUMENT = 'Document';

/** The REST routes, hand-written; test/rest/openapi*.test.ts hold it to the router, to real answers and to the linters. */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'keyward REST API',
    version: '1.0.0',
    description:
      'The client-key REST contract existing integrations speak: a thin adapter over the same services as the ' +
      'GraphQL API at /graphql, plus POST /v1/keys/verify, the twin of verifyApiKey. Credentials: `Authorization: Bearer <key>`, `X-API-Key`, the `api_key` query ' +
      'parameter, or an `api_key` field of a JSON body. Every success is 200; ids are JSON numbers. A body field or query ' +
      'parameter a route does not take is refused (422), never ignored. Errors answer `{"success": false, "error": {"code", ' +
      '"message", "field"?}}` with the codes the GraphQL API uses.',
    contact: { name: 'keyward' },
    license: { name: 'MIT', identifier: 'MIT' },
  },
  servers: [{ url: '/', description: 'The keyward that serves this document.' }],
  tags: [
    { name: KEYS, description: "Create, list, rotate and delete a client sub-account's keys." },
    { name: VERIFICATION, description: "Check, for the platform's other services, whether a key works and what it may do." },
    LEAKS_TAG,
    { name: DOCUMENT, description: 'This OpenAPI document.' },
  ],
  paths: {
    [OPENAPI_PATH]: {
      get: {
        operationId: 'getOpenApiDocument',
        summary: 'This document',
        description: 'The OpenAPI 3.1 document of these routes, for code generators, mock servers and linters. No credential needed.',
        tags: [DOCUMENT],
        security: [],
        responses: {
          '200': { description: 'The OpenAPI 3.1 document', content: json({ type: 'object' }) },
          '406': { description: 'The request does not accept JSON: code NOT_ACCEPTABLE.', content: json(ref('Error')) },
        },
      },
    },
    '/api/v1/client/api-key': {
      post: {
        operationId: 'createClientApiKey',
        summary: 'Create a client key',
        tags: [KEYS],
        ...secured(
          Permission.KEYS_WRITE,
          'Makes a key for one client sub-account. With a client key as credential, clientId may be omitted (its own ' +
            'client); an admin credential must name the client. You can grant only permissions you hold.',
        ),
        requestBody: { required: true, content: json(ref('CreateClientApiKeyRequest')) },
        responses: {
          '200': ok('Created. `api_key` is the raw key, shown this once.', ref('CreatedClientApiKey')),
          ...errors('400', '403', '404', '413', '422', '429'),
        },
      },
      get: {
        operationId: 'listClientApiKeys',
        summary: 'List client keys',
        tags: [KEYS],
        ...secured(Permission.KEYS_READ, "Client keys in your scope (a client key sees its own client's), newest first."),
        parameters: [
          { name: 'clientId', in: 'query', schema: { type: 'integer', minimum: 1 }, description: "Only this client's keys." },
          { name: 'status', in: 'query', schema: { type: 'string', enum: ['active', 'inactive', 'expired'] } },
          { name: 'keyName', in: 'query', schema: { type: 'string', maxLength: 100 }, description: 'Partial, case-insensitive match.' },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 100, default: 50 } },
          { name: 'after', in: 'query', schema: { type: 'string' }, description: 'The `next_cursor` of the previous page.' },
        ],
        responses: {
          '200': ok(
            'A page of keys, without their raw values.',
            { type: 'array', items: ref('ClientApiKey') },
            { has_more: { type: 'boolean' }, next_cursor: { type: ['string', 'null'] } },
          ),
          ...errors('403', '422', '429'),
        },
      },
    },
    '/api/v1/client/api-key/{id}': {
      delete: {
        operationId: 'deleteClientApiKey',
        summary: 'Delete a client key',
        tags: [KEYS],
        ...secured(Permission.KEYS_WRITE, 'Gone at once, with no history but its audit events.'),
        parameters: [keyId],
        responses: {
          '200': ok('Deleted', ref('DeletedClientApiKey')),
          ...errors('403', '404', '422', '429'),
        },
      },
    },
    '/api/v1/client/api-key/reset/{id}': {
      put: {
        operationId: 'resetClientApiKey',
        summary: 'Rotate a client key',
        tags: [KEYS],
        ...secured(
          Permission.KEYS_WRITE,
          'Same key (id, name, permissions), new value and prefix. The old value stops at once, or after ' +
            "`gracePeriodSeconds` (at most 7 days, never past the key's expiry) for zero-downtime rotation. " +
            'You must hold every permission the key holds.',
        ),
        parameters: [keyId],
        requestBody: { required: false, content: json(ref('ResetClientApiKeyRequest')) },
        responses: {
          '200': ok('Reset. `api_key` is the new raw key, shown this once.', ref('ResetClientApiKey')),
          ...errors('400', '403', '404', '413', '422', '429'),
        },
      },
    },
    [KEY_VERIFICATION_PATH]: {
      description: 'Any other method on this path answers 405 METHOD_NOT_ALLOWED in the error shape, with `Allow: POST`.',
      // A 405 is no operation's answer (an operation answering only 405 has no success, which linters refuse): the path's.
      'x-keyward-other-methods': {
        '405': {
          description: 'Not POST: code METHOD_NOT_ALLOWED.',
          headers: { Allow: { description: 'The methods the path takes.', required: true, schema: { const: 'POST' } } },
          content: json(ref('Error')),
        },
      },
      post: {
        operationId: 'verifyApiKey',
        summary: 'Verify an API key',
        tags: [VERIFICATION],
        ...secured(
          Permission.KEYS_VERIFY,
          'Whether a key presented to your service works, and what it may do: the twin of the GraphQL verifyApiKey. ' +
            'Answers 200 whatever the outcome (`code` says why a key does not work). The verification counts ' +
            "against the verified key's pool; your own pool is reported in RateLimit-* headers but not charged.",
          true,
        ),
        requestBody: { required: true, content: json(ref('VerifyApiKeyRequest')) },
        responses: {
          '200': ok('The verification, valid or not.', ref('KeyVerification')),
          ...errors('400', '403', '413', '422'),
        },
      },
    },
    ...USAGE_PATHS,
    ...LEAK_PATHS,
  },
  components: { ...COMPONENTS, schemas: { ...COMPONENTS.schemas, ...USAGE_SCHEMAS, ...LEAK_SCHEMAS } },
} as const;
