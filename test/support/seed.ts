import { dataOf, graphql } from './graphql';

/** The catalogue as the contract names it, in its order: written out, so a renamed permission fails the tests. */
export const PERMISSION_NAMES = [
  'KEYS_READ',
  'KEYS_WRITE',
  'CLIENTS_READ',
  'CLIENTS_WRITE',
  'LEADS_READ',
  'LEADS_CREATE',
  'LEADS_UPDATE',
  'LEADS_DELETE',
  'AUDIT_READ',
  'KEYS_VERIFY',
  'WEBHOOKS_READ',
  'WEBHOOKS_WRITE',
];

export const KEY_FIELDS = 'id name kind status isPrimary prefix permissions expiresAt lastUsedAt createdAt updatedAt client { id name }';

export interface SeededKey {
  id: string;
  prefix: string;
  secret: string;
  permissions: string[];
}

/** Where seeding goes: a test server, in this process or spawned. */
export interface SeedTarget {
  url: string;
  operatorToken: string;
}

export interface SeededAccount {
  id: string;
  name: string;
  primary: SeededKey;
}

/**
 * Seeds through the public API only, like a real operator and account would,
 * so every test makes its own tenant and needs no teardown.
 */
export class Seed {
  private counter = 0;

  constructor(private readonly server: SeedTarget) {}

  async account(name = `Account ${++this.counter}`): Promise<SeededAccount> {
    const res = await graphql(this.server.url, {
      as: this.server.operatorToken,
      query: `mutation($input: CreateAccountInput!) {
        createAccount(input: $input) { account { id name } primaryKey { secret apiKey { id prefix permissions } } }
      }`,
      variables: { input: { name } },
    });
    const { account, primaryKey } = dataOf(res).createAccount;
    return { ...account, primary: { ...primaryKey.apiKey, secret: primaryKey.secret } };
  }

  async client(as: string, name = `Client ${++this.counter}`): Promise<{ id: string; name: string }> {
    const res = await graphql(this.server.url, {
      as,
      query: 'mutation($input: CreateClientInput!) { createClient(input: $input) { id name } }',
      variables: { input: { name } },
    });
    return dataOf(res).createClient;
  }

  async key(as: string, input: { name?: string; clientId?: string; permissions?: string[]; expiresAt?: string } = {}): Promise<SeededKey> {
    const res = await graphql(this.server.url, {
      as,
      query: `mutation($input: CreateApiKeyInput!) {
        createApiKey(input: $input) { secret apiKey { id prefix permissions } }
      }`,
      variables: { input: { name: `Key ${++this.counter}`, permissions: [], ...input } },
    });
    const { secret, apiKey } = dataOf(res).createApiKey;
    return { ...apiKey, secret };
  }
}
