export class ApiError extends Error {
  constructor(message, code, field, status) {
    super(message);
    this.code = code;
    this.field = field;
    this.status = status;
  }
}

/** One GraphQL operation against keyward's own /graphql: the first error is thrown with its code and field. */
export async function graphql(endpoint, token, query, variables) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  let body = null;
  try {
    body = await res.json();
  } catch {
    // an answer that is not JSON: reported by status below
  }
  const first = body && Array.isArray(body.errors) ? body.errors[0] : undefined;
  if (first || !res.ok || !body || !body.data) {
    const field = first && first.extensions && first.extensions.field;
    throw new ApiError(
      first ? first.message : `keyward answered HTTP ${res.status}`,
      (first && first.extensions && first.extensions.code) || (res.status === 401 ? 'UNAUTHENTICATED' : 'HTTP_ERROR'),
      typeof field === 'string' ? field.split('.').pop() : undefined,
      res.status,
    );
  }
  return body.data;
}

const KEY_FIELDS = 'id name kind status isPrimary isPlayground prefix permissions expiresAt lastUsedAt createdAt client { id name }';

export const VIEWER = `{
  viewer { principal subject prefix permissions rateLimit { limit remaining resetAt } account { id name developerApiEnabled } }
  permissions { permission name description clientScoped }
}`;
export const KEYS = `query Keys($filter: ApiKeyFilter, $scope: ApiKeyFilter, $first: Int, $after: String) {
  apiKeys(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${KEY_FIELDS} } } }
  used: apiKeys(filter: $scope, first: 100) { totalCount edges { node { isPlayground } } }
}`;
export const CLIENTS = '{ clients(first: 100) { edges { node { id name } } } }';
export const REVOKED = `query Revoked($first: Int, $after: String) {
  revokedKeys(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id name prefix kind revokedAt revokedBy reason client { name } } }
  }
}`;
export const AUDIT = `query Audit($first: Int, $after: String) {
  auditEvents(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id actor action targetType targetPrefix targetName createdAt } }
  }
}`;
const CREATED = `secret previousKeyExpiresAt apiKey { ${KEY_FIELDS} }`;
export const CREATE = `mutation Create($input: CreateApiKeyInput!) { createApiKey(input: $input) { ${CREATED} } }`;
export const RENAME = `mutation Rename($id: ID!, $name: String!) { renameApiKey(id: $id, name: $name) { id name } }`;
export const SET_PERMISSIONS = `mutation SetPermissions($id: ID!, $permissions: [Permission!]!) {
  updateApiKeyPermissions(id: $id, permissions: $permissions) { id permissions }
}`;
export const RESET = `mutation Reset($id: ID!, $grace: Int) { resetApiKey(id: $id, gracePeriodSeconds: $grace) { ${CREATED} } }`;
export const DEACTIVATE = 'mutation Deactivate($id: ID!) { deactivateApiKey(id: $id) { id status } }';
export const ACTIVATE = 'mutation Activate($id: ID!) { activateApiKey(id: $id) { id status } }';
export const REVOKE = 'mutation Revoke($id: ID!, $reason: String) { revokeApiKey(id: $id, reason: $reason) { id } }';
export const DELETE = 'mutation Delete($id: ID!) { deleteApiKey(id: $id) }';

/** At most this many admin keys per account, and keys per client (active and inactive). */
export const KEY_LIMIT = 25;
