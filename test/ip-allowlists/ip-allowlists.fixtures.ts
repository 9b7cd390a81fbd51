import { graphql, GraphQLResponse } from '../support/graphql';
import { rest, RestResponse } from '../rest/rest-client';

export const CREATE_KEY = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id prefix allowedIps } }
}`;

export const UPDATE_KEY = `mutation($id: ID!, $input: UpdateApiKeyInput!) {
  updateApiKey(id: $id, input: $input) { id allowedIps }
}`;

export const VERIFY_FROM = `query($key: String!, $ip: String) {
  verifyApiKey(key: $key, ip: $ip) { valid code prefix rateLimit { remaining } }
}`;

/**
 * The server's URL reached over IPv4 loopback: `localhost` may resolve to
 * ::1, and these tests need to know the address the server sees (127.0.0.1,
 * or ::ffff:127.0.0.1 on a dual-stack socket: the same address to an allowlist).
 */
export function overIPv4(url: string): string {
  const target = new URL(url);
  target.hostname = '127.0.0.1';
  return target.origin;
}

export interface AllowlistedKey {
  id: string;
  prefix: string;
  secret: string;
  allowedIps: string[];
}

/** createApiKey with these allowedIps; the key, or the refusal. */
export async function createKey(
  url: string,
  as: string,
  allowedIps: unknown,
  more: Record<string, unknown> = {},
): Promise<{ key?: AllowlistedKey; res: GraphQLResponse }> {
  const res = await graphql(url, { as, query: CREATE_KEY, variables: { input: { name: 'allowlisted', allowedIps, ...more } } });
  const created = res.data?.createApiKey;
  return { res, key: created ? { ...created.apiKey, secret: created.secret } : undefined };
}

/** A key that must be created: fails the test with the refusal otherwise. */
export async function keyAllowing(url: string, as: string, allowedIps: string[], more: Record<string, unknown> = {}) {
  const { key, res } = await createKey(url, as, allowedIps, more);
  if (!key) throw new Error(`createApiKey failed: ${JSON.stringify(res.errors)}`);
  return key;
}

/** What a request made with `key` gets: `{ viewer { prefix } }` over GraphQL. */
export async function viewerWith(url: string, key: string, headers: Record<string, string> = {}) {
  const res = await graphql(url, { as: key, query: '{ viewer { prefix } }', headers });
  return { status: res.status, code: res.errors?.[0]?.extensions?.code ?? null, prefix: res.data?.viewer?.prefix ?? null, res };
}

/** A REST call made with a client key: GET the client-key list (keys:read). */
export function restWith(url: string, key: string, headers: Record<string, string> = {}): Promise<RestResponse> {
  return rest(url, { method: 'GET', path: '/api/v1/client/api-key', as: key, headers });
}
