import { dataOf, graphql, GraphQLResponse } from '../support/graphql';
import { rest, RestResponse } from '../rest/rest-client';

export const CREATE_KEY = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id prefix remaining refill { amount interval } lastRefillAt } }
}`;

export const UPDATE_KEY = `mutation($id: ID!, $input: UpdateApiKeyInput!) {
  updateApiKey(id: $id, input: $input) { id remaining refill { amount interval } lastRefillAt }
}`;

export const KEY = 'query($id: ID!) { apiKey(id: $id) { remaining refill { amount interval } lastRefillAt } }';

export const VERIFY_COSTING = `query($key: String!, $cost: Int) {
  verifyApiKey(key: $key, cost: $cost) { valid code prefix remaining rateLimit { remaining } }
}`;

export interface CreditedKey {
  id: string;
  prefix: string;
  secret: string;
}

/** createApiKey with these extra fields (remaining, refill, …); the answer, whether it worked or not. */
export function createKey(url: string, as: string, input: Record<string, unknown>): Promise<GraphQLResponse> {
  return graphql(url, { as, query: CREATE_KEY, variables: { input: { name: 'credited', ...input } } });
}

/** A key that must be created with these credits. */
export async function creditedKey(url: string, as: string, input: Record<string, unknown>): Promise<CreditedKey> {
  const { secret, apiKey } = dataOf(await createKey(url, as, input)).createApiKey;
  return { id: apiKey.id, prefix: apiKey.prefix, secret };
}

/** verifyApiKey of `key` costing `cost` (absent: the default, 1). */
export async function verifyCosting(url: string, as: string, key: string, cost?: number) {
  return dataOf(await graphql(url, { as, query: VERIFY_COSTING, variables: { key, cost } })).verifyApiKey;
}

/** A request made with the key: `{ viewer { prefix } }`. */
export function requestWith(url: string, key: string): Promise<GraphQLResponse> {
  return graphql(url, { as: key, query: '{ viewer { prefix } }' });
}

/** A REST request made with a client key: the client's key list (keys:read). */
export function restWith(url: string, key: string): Promise<RestResponse> {
  return rest(url, { method: 'GET', path: '/api/v1/client/api-key', as: key });
}
