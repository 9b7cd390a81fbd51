import { ApiKeyKind } from '../../src/shared/api-key-kind';
import { generateKey } from '../../src/api-keys/key-material';
import { rest, RestResponse } from '../rest/rest-client';
import { dataOf, graphql, GraphQLResponse } from '../support/graphql';

export const VERIFY = `query($key: String!) {
  verifyApiKey(key: $key) {
    valid code prefix kind account { id name } client { id name } permissions expiresAt
    rateLimit { limit remaining resetAt }
  }
}`;

/** verifyApiKey over GraphQL, as `as`. */
export function verifyByGraphQL(server: { url: string }, as: string | undefined, key: string): Promise<GraphQLResponse> {
  return graphql(server.url, { as, query: VERIFY, variables: { key } });
}

/** The verification a caller gets, through GraphQL; fails the test on an error. */
export async function verification(server: { url: string }, as: string, key: string) {
  return dataOf(await verifyByGraphQL(server, as, key)).verifyApiKey;
}

/** POST /v1/keys/verify, as `as`. */
export function verifyByRest(server: { url: string }, as: string | undefined, body: unknown): Promise<RestResponse> {
  return rest(server.url, { method: 'POST', path: '/v1/keys/verify', as, body });
}

/** A well-formed key with a good checksum that was never issued. */
export function neverIssuedKey(kind = ApiKeyKind.ADMIN): string {
  return generateKey(kind).secret;
}

export async function mutate(server: { url: string }, as: string, query: string, variables: Record<string, unknown>) {
  return dataOf(await graphql(server.url, { as, query, variables }));
}
