import { dataOf, graphql, GraphQLResponse } from '../support/graphql';

export const DEFINE_SCOPE = `mutation($input: DefineScopeInput!) {
  defineScope(input: $input) { name description clientAssignable }
}`;

export const SCOPES = '{ scopes { name description clientAssignable } }';

export const CREATE_KEY = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id prefix kind scopes } }
}`;

export const UPDATE_KEY = `mutation($id: ID!, $input: UpdateApiKeyInput!) {
  updateApiKey(id: $id, input: $input) { id scopes }
}`;

export const VERIFY_SCOPES = `query($key: String!, $requiredScopes: [String!]) {
  verifyApiKey(key: $key, requiredScopes: $requiredScopes) { valid code prefix scopes rateLimit { remaining } }
}`;

export interface ScopedKey {
  id: string;
  prefix: string;
  kind: string;
  secret: string;
  scopes: string[];
}

/** defineScope as `as` (the operator, unless a test checks who may). */
export function defineScope(
  server: { url: string },
  as: string | undefined,
  input: { name: string; description?: string; clientAssignable?: boolean },
): Promise<GraphQLResponse> {
  return graphql(server.url, { as, query: DEFINE_SCOPE, variables: { input: { description: `Lets a key ${input.name}`, ...input } } });
}

/** Defines each scope as the operator; `client:` marks a clientAssignable one (`client:invoices:read`). */
export async function defineScopes(server: { url: string; operatorToken: string }, ...names: string[]): Promise<void> {
  for (const entry of names) {
    const clientAssignable = entry.startsWith('client:');
    const name = clientAssignable ? entry.slice('client:'.length) : entry;
    dataOf(await defineScope(server, server.operatorToken, { name, clientAssignable }));
  }
}

/** createApiKey as `as` with these scopes; the key, or the refusal. */
export async function createScopedKey(
  server: { url: string },
  as: string,
  scopes: unknown,
  more: Record<string, unknown> = {},
): Promise<{ key?: ScopedKey; res: GraphQLResponse }> {
  const res = await graphql(server.url, { as, query: CREATE_KEY, variables: { input: { name: 'scoped', scopes, ...more } } });
  const created = res.data?.createApiKey;
  return { res, key: created ? { ...created.apiKey, secret: created.secret } : undefined };
}

/** A key that must be created: fails the test with the refusal otherwise. */
export async function keyHolding(server: { url: string }, as: string, scopes: string[], more: Record<string, unknown> = {}) {
  const { key, res } = await createScopedKey(server, as, scopes, more);
  if (!key) throw new Error(`createApiKey failed: ${JSON.stringify(res.errors)}`);
  return key;
}

/** The one error of a refused operation: its code, field and message. */
export function refusalOf(res: GraphQLResponse) {
  expect(res.errors).toHaveLength(1);
  const [error] = res.errors ?? [];
  return { code: error?.extensions?.code, field: error?.extensions?.field ?? null, message: error?.message };
}
