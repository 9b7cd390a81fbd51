import { dataOf } from '../support/graphql';
import { SeededAccount } from '../support/seed';
import { useTestServer } from '../support/harness';

/**
 * DataLoader batches every relation a list resolves: a page of keys with their
 * clients costs the same few statements whatever its size.
 */
describe('SQL statements per page', () => {
  const t = useTestServer({}, { account: false });

  /** An account with `clients` clients holding `perClient` client keys each. */
  async function accountWithKeys(clients: number, perClient: number): Promise<SeededAccount> {
    const account = await t.seed.account();
    for (let c = 0; c < clients; c++) {
      const client = await t.seed.client(account.primary.secret);
      await Promise.all(Array.from({ length: perClient }, () => t.seed.key(account.primary.secret, { clientId: client.id })));
    }
    return account;
  }

  async function statementsFor(as: string, query: string): Promise<number> {
    t.sql.reset();
    const res = await t.call(as, query);
    dataOf(res);
    return t.sql.statements.length;
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
