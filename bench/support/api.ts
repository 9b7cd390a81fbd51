/**
 * Setting up a benchmark through keyward's public API, as an operator and an
 * account would: no rows written behind the server's back (except by
 * bench/seed.ts, whose point is a million of them).
 */

import { LoadSpec } from './load';

export async function graphql<T = any>(baseUrl: string, query: string, options: { as?: string; variables?: object } = {}): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.as) headers.authorization = `Bearer ${options.as}`;
  const response = await fetch(new URL('/graphql', baseUrl), {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables: options.variables }),
  });
  const json = (await response.json()) as { data?: T; errors?: unknown[] };
  if (response.status !== 200 || json.errors?.length) {
    throw new Error(`GraphQL call failed (HTTP ${response.status}): ${JSON.stringify(json.errors)}\n${query}`);
  }
  return json.data as T;
}

export interface BenchAccount {
  id: string;
  /** The primary admin key: every permission, keys:verify included. */
  primaryKey: string;
}

/** The plan limit that keeps a benchmark from being throttled (the largest the API accepts). */
export const UNTHROTTLED_RATE_LIMIT = 1_000_000;

/** A new account whose pool is large enough that no benchmark run reaches it. */
export async function unthrottledAccount(baseUrl: string, operatorToken: string, name = 'Bench'): Promise<BenchAccount> {
  const created = await graphql(
    baseUrl,
    'mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id } primaryKey { secret } } }',
    {
      as: operatorToken,
      variables: { input: { name } },
    },
  );
  const id = created.createAccount.account.id as string;
  await graphql(
    baseUrl,
    'mutation($id: ID!, $input: UpdateAccountInput!) { updateAccount(id: $id, input: $input) { id rateLimitPerMinute } }',
    {
      as: operatorToken,
      variables: { id, input: { rateLimitPerMinute: UNTHROTTLED_RATE_LIMIT } },
    },
  );
  return { id, primaryKey: created.createAccount.primaryKey.secret };
}

export async function createClient(baseUrl: string, as: string, name: string): Promise<string> {
  const data = await graphql(baseUrl, 'mutation($input: CreateClientInput!) { createClient(input: $input) { id } }', {
    as,
    variables: { input: { name } },
  });
  return data.createClient.id;
}

export async function createKey(
  baseUrl: string,
  as: string,
  input: { name: string; clientId?: string; permissions?: string[] } & Record<string, unknown>,
): Promise<string> {
  const data = await graphql(baseUrl, 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', {
    as,
    variables: { input: { permissions: [], ...input } },
  });
  return data.createApiKey.secret;
}

/** POST /v1/keys/verify answers VALID for the spec's key: a load of it measures real verifications, not refusals. */
export async function expectValid(spec: LoadSpec): Promise<void> {
  const response = await fetch(new URL(spec.request.path, spec.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...spec.request.headers },
    body: spec.request.body,
  });
  const body = (await response.json()) as { data?: { valid?: boolean; code?: string } };
  if (response.status !== 200 || body.data?.valid !== true || body.data.code !== 'VALID') {
    throw new Error(`POST /v1/keys/verify did not answer VALID (HTTP ${response.status}): ${JSON.stringify(body)}`);
  }
}
