import { dataOf } from '../support/graphql';
import { TestServerFixture } from '../support/harness';

/** Every key mutation that takes a key id, with variables that would succeed for a caller allowed to make it. */
export const KEY_MUTATIONS: Array<[string, string, Record<string, unknown>]> = [
  ['renameApiKey', 'mutation($id: ID!, $name: String!) { renameApiKey(id: $id, name: $name) { id } }', { name: 'renamed' }],
  [
    'updateApiKeyPermissions',
    'mutation($id: ID!, $p: [Permission!]!) { updateApiKeyPermissions(id: $id, permissions: $p) { id } }',
    { p: [] },
  ],
  ['resetApiKey', 'mutation($id: ID!) { resetApiKey(id: $id) { secret } }', {}],
  ['deactivateApiKey', 'mutation($id: ID!) { deactivateApiKey(id: $id) { id } }', {}],
  ['activateApiKey', 'mutation($id: ID!) { activateApiKey(id: $id) { id } }', {}],
  ['revokeApiKey', 'mutation($id: ID!) { revokeApiKey(id: $id, reason: "test") { id } }', {}],
  ['deleteApiKey', 'mutation($id: ID!) { deleteApiKey(id: $id) }', {}],
];

export const CREATE_KEY =
  'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id kind client { id } } } }';
export const RENAME_CLIENT = 'mutation($id: ID!, $name: String!) { renameClient(id: $id, name: $name) { id } }';
export const GET_KEY = 'query($id: ID!) { apiKey(id: $id) { id name prefix status permissions } }';

/** Calls as anyone, as the file's primary key, and a key's state as the primary key sees it (proof that a refusal changed nothing). */
export function callers(t: TestServerFixture) {
  const call = (as: string | undefined, query: string, variables?: Record<string, unknown>) => t.call(as, query, variables);
  const primary = (query: string, variables?: Record<string, unknown>) => call(t.account.primary.secret, query, variables);
  const snapshot = async (id: string) => dataOf(await primary(GET_KEY, { id })).apiKey;
  return { call, primary, snapshot };
}
