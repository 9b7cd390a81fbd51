import { dataOf, graphql } from '../support/graphql';
import { Seed, SeededAccount } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';

/**
 * DataLoader batches every relation a list resolves: a page of keys with their
 * clients costs the same few statements whatever its size.
 */
describe('SQL statements per page', () => {
  let server: TestServer;
  let seed: Seed;

  beforeAll(async () => {
    server = await startTestServer();
    seed = new Seed(server);
  });
  afterAll(() => server.stop());

  /** An account with `clients` clients holding `perClient` client keys each. */
  async function accountWithKeys(clients: number, perClient: number): Promise<SeededAccount> {
    const account = await seed.account();
    for (let c = 0; c < clients; c++) {
      const client = await seed.client(account.primary.secret);
      await Promise.all(
        Array.from({ length: perClient }, () => seed.key(account.primary.secret, { clientId: client.id })),
      );
    }
    return account;
  }

  async function statementsFor(as: string, query: string): Promise<number> {
    server.sql.reset();
    const res = await graphql(server.url, { as, query });
    dataOf(res);
    return server.sql.statements.length;
  }

  it('is constant for a page of keys with their clients, 5 keys or 50', async () => {
    const small = await accountWithKeys(1, 5);
    const large = await accountWithKeys(10, 5);
    const query = `{ apiKeys(first: 50) { totalCount edges { node { id name lastUsedAt client { id name } } } } }`;

    const forSmall = await statementsFor(small.primary.secret, query);
    const forLarge = await statementsFor(large.primary.secret, query);
    expect(forLarge).toBe(forSmall);
    // authenticate + page + clients + totalCount
    expect(forLarge).toBeLessThanOrEqual(4);
  });

  it('is constant for a page of clients with their keys', async () => {
    const small = await accountWithKeys(2, 2);
    const large = await accountWithKeys(12, 2);
    const query = `{ clients(first: 50) { edges { node { id apiKeys { id prefix client { name } } } } } }`;
    expect(await statementsFor(large.primary.secret, query)).toBe(await statementsFor(small.primary.secret, query));
  });
});
