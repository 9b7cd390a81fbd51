import { dataOf, graphql, GraphQLResponse } from '../support/graphql';

export const CREATE_KEY = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id prefix remaining rateLimits { name limit durationSeconds } } }
}`;

export const UPDATE_KEY = `mutation($id: ID!, $input: UpdateApiKeyInput!) {
  updateApiKey(id: $id, input: $input) { id rateLimits { name limit durationSeconds } }
}`;

export const VERIFY_LIMITS = `query($key: String!, $cost: Int, $rateLimits: [NamedLimitChargeInput!], $ip: String) {
  verifyApiKey(key: $key, cost: $cost, rateLimits: $rateLimits, ip: $ip) {
    valid code prefix remaining rateLimit { remaining } rateLimits { name limit remaining resetAt }
  }
}`;

export interface LimitedKey {
  id: string;
  prefix: string;
  secret: string;
}

export function createKey(url: string, as: string, input: Record<string, unknown>): Promise<GraphQLResponse> {
  return graphql(url, { as, query: CREATE_KEY, variables: { input: { name: 'limited', ...input } } });
}

export async function limitedKey(url: string, as: string, input: Record<string, unknown>): Promise<LimitedKey> {
  const { secret, apiKey } = dataOf(await createKey(url, as, input)).createApiKey;
  return { id: apiKey.id, prefix: apiKey.prefix, secret };
}

/** verifyApiKey with these options (cost, rateLimits); the answer or the refusal. */
export function verifyWith(url: string, as: string, key: string, options: Record<string, unknown> = {}): Promise<GraphQLResponse> {
  return graphql(url, { as, query: VERIFY_LIMITS, variables: { key, ...options } });
}

export async function verified(url: string, as: string, key: string, options: Record<string, unknown> = {}) {
  return dataOf(await verifyWith(url, as, key, options)).verifyApiKey;
}

/** The remaining of each named limit in a verification's answer, by name. */
export function remainingByName(verification: { rateLimits: Array<{ name: string; remaining: number }> }): Record<string, number> {
  return Object.fromEntries(verification.rateLimits.map((l) => [l.name, l.remaining]));
}
