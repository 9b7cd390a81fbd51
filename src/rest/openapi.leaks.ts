import { MAX_SOURCE_LENGTH } from '../leaks/leak-report.service';
import { MAX_MATCHES } from '../leaks/github-secret-scanning';
import { GITHUB_SECRET_SCANNING_PATH, LEAK_REPORT_ACCEPTED, LEAK_REPORT_PATH } from './leak-report.routes';
import { json, RATE_LIMIT_HEADERS, ref } from './openapi.components';

/** The OpenAPI part of the two routes that take no credential (leak-report.routes.ts): spread into openapi.ts. */

export const LEAKS_TAG = { name: 'Leaks', description: 'Report a keyward key found where it should not be: anyone may, and GitHub does.' };

const response = (name: string) => ({ $ref: `#/components/responses/${name}` });

export const LEAK_SCHEMAS = {
  ReportLeakRequest: {
    type: 'object',
    required: ['key'],
    additionalProperties: false,
    properties: {
      key: {
        type: 'string',
        minLength: 1,
        description: 'The key as you found it. Anything is accepted; nothing tells whether it was a key.',
      },
      source: {
        type: ['string', 'null'],
        maxLength: MAX_SOURCE_LENGTH,
        description: 'Where you found it: a URL, a file, a paste. Its owner is told.',
      },
    },
  },
  LeakReportAccepted: { const: LEAK_REPORT_ACCEPTED, description: 'Always exactly this body, whatever the key was.' },
  GitHubSecretScanningAlert: {
    type: 'array',
    maxItems: MAX_MATCHES,
    items: {
      type: 'object',
      required: ['token', 'type'],
      properties: {
        token: { type: 'string', description: 'What matched a keyward key pattern.' },
        type: { type: 'string', description: 'The pattern (secret type) it matched, as registered with GitHub.' },
        url: { type: 'string', description: "Where GitHub found it: the leak report's source." },
        source: { type: 'string', description: 'What kind of place: content, commit, pull_request_title, npm, …' },
      },
    },
  },
  GitHubSecretScanningLabels: {
    type: 'array',
    items: {
      type: 'object',
      required: ['token_raw', 'token_type', 'label'],
      additionalProperties: false,
      properties: {
        token_raw: { type: 'string' },
        token_type: { type: 'string' },
        label: { type: 'string', enum: ['true_positive', 'false_positive'], description: 'true_positive: a live keyward key.' },
      },
    },
  },
};

const methodNotAllowed = (path: string) => ({
  description: 'Any other method on this path answers 405 METHOD_NOT_ALLOWED in the error shape, with `Allow: POST`.',
  'x-keyward-other-methods': {
    '405': {
      description: `Not POST ${path}: code METHOD_NOT_ALLOWED.`,
      headers: { Allow: { description: 'The methods the path takes.', required: true, schema: { const: 'POST' } } },
      content: json(ref('Error')),
    },
  },
});

export const LEAK_PATHS = {
  [LEAK_REPORT_PATH]: {
    ...methodNotAllowed(LEAK_REPORT_PATH),
    post: {
      operationId: 'reportLeakedKey',
      summary: 'Report a leaked key',
      tags: [LEAKS_TAG.name],
      description:
        'For anyone who finds a keyward key in public: no credential needed (one presented is ignored). Every report ' +
        'answers 202 with the same body, whether the key is live, revoked, unknown or no key at all. A live key is ' +
        "handled as its account's leakResponse says (deactivated by default, revoked, or left working), audited, and " +
        'sent to its owner as the api_key.leak_reported webhook. A string whose checksum does not hold costs no lookup. ' +
        'Each client address may report LEAK_REPORTS_PER_MINUTE times a minute (10 by default); RateLimit-* describe its pool.',
      security: [],
      requestBody: { required: true, content: json(ref('ReportLeakRequest')) },
      responses: {
        '202': {
          description: 'Received. Says nothing about the key.',
          headers: RATE_LIMIT_HEADERS,
          content: json(ref('LeakReportAccepted')),
        },
        '400': response('BadRequest'),
        '413': response('PayloadTooLarge'),
        '422': response('ValidationFailed'),
        '429': {
          description: 'This address has reported too often this window: code RATE_LIMITED. Retry after Retry-After seconds.',
          headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' }, ...RATE_LIMIT_HEADERS },
          content: json(ref('Error')),
        },
      },
    },
  },
  [GITHUB_SECRET_SCANNING_PATH]: {
    ...methodNotAllowed(GITHUB_SECRET_SCANNING_PATH),
    post: {
      operationId: 'receiveGitHubSecretScanningAlert',
      summary: 'GitHub secret scanning alert',
      tags: [LEAKS_TAG.name],
      description:
        "GitHub's secret scanning partner programme calls this with the keyward keys it found in public. The body " +
        'must be signed: Github-Public-Key-Identifier names one of the keys in GITHUB_SECRET_SCANNING_KEYS, and ' +
        'Github-Public-Key-Signature is its ECDSA P-256 SHA-256 signature (base64, DER) of the raw body. Each live key ' +
        'is handled as a leak report (source: the URL) and labelled true_positive; anything else false_positive.',
      security: [],
      parameters: [
        {
          name: 'Github-Public-Key-Identifier',
          in: 'header',
          required: true,
          schema: { type: 'string' },
          description: "Which of GitHub's public keys signed the body.",
        },
        {
          name: 'Github-Public-Key-Signature',
          in: 'header',
          required: true,
          schema: { type: 'string' },
          description: 'Base64 of the DER-encoded ECDSA signature of the raw body.',
        },
      ],
      requestBody: { required: true, content: json(ref('GitHubSecretScanningAlert')) },
      responses: {
        '200': { description: 'A label for each token, in order.', content: json(ref('GitHubSecretScanningLabels')) },
        '401': {
          description:
            'A signature header is missing, names no configured key, or does not verify the body (or no keys are configured): code INVALID_SIGNATURE.',
          content: json(ref('Error')),
        },
        '413': response('PayloadTooLarge'),
        '422': {
          description: 'Signed, but not a list of {token, type, url, source} (`field` names the entry): code BAD_USER_INPUT.',
          content: json(ref('Error')),
        },
      },
    },
  },
};
