import { dataOf, graphql } from '../support/graphql';
import { Seed, SeededAccount } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';

const EVENTS = `query($filter: AuditEventFilter) {
  auditEvents(filter: $filter, first: 100) { totalCount edges { node { action targetType targetId targetPrefix } } }
}`;

interface Event {
  action: string;
  targetType: string;
  targetId: string;
  targetPrefix: string | null;
}

describe('auditEvents(filter: { apiKeyId })', () => {
  let server: TestServer;
  let seed: Seed;
  let account: SeededAccount;

  beforeAll(async () => {
    server = await startTestServer();
    seed = new Seed(server);
    account = await seed.account();
  });
  afterAll(() => server.stop());

  async function events(as: string, filter: Record<string, unknown>): Promise<Event[]> {
    return dataOf(await graphql(server.url, { as, query: EVENTS, variables: { filter } })).auditEvents.edges.map(
      (edge: { node: Event }) => edge.node,
    );
  }

  async function mutate(query: string, variables: Record<string, unknown>) {
    return dataOf(await graphql(server.url, { as: account.primary.secret, query, variables }));
  }

  const reset = (id: string) =>
    mutate('mutation($id: ID!) { resetApiKey(id: $id) { apiKey { prefix } } }', { id }).then((d) => d.resetApiKey.apiKey.prefix);

  it("follows a key across resets, which targetPrefix cannot, and leaves other keys' events out", async () => {
    const key = await seed.key(account.primary.secret, { name: 'rotated' });
    const other = await seed.key(account.primary.secret, { name: 'bystander' });
    await mutate('mutation($id: ID!) { renameApiKey(id: $id, name: "rotated twice") { id } }', { id: key.id });
    const second = await reset(key.id);
    const third = await reset(key.id);
    await mutate('mutation($id: ID!) { renameApiKey(id: $id, name: "bystander renamed") { id } }', { id: other.id });

    const history = await events(account.primary.secret, { apiKeyId: key.id });
    expect(history.map((e) => [e.action, e.targetPrefix])).toEqual([
      ['API_KEY_RESET', third],
      ['API_KEY_RESET', second],
      ['API_KEY_RENAMED', key.prefix],
      ['API_KEY_CREATED', key.prefix],
    ]);
    expect(history.every((e) => e.targetId === key.id)).toBe(true);

    // The prefix filter sees only the stretch of the key's life under one prefix.
    expect((await events(account.primary.secret, { targetPrefix: third })).map((e) => e.action)).toEqual(['API_KEY_RESET']);
  });

  it('keeps the history of a revoked key, and of a deleted one', async () => {
    const revoked = await seed.key(account.primary.secret, { name: 'to revoke' });
    await reset(revoked.id);
    await mutate('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: revoked.id });
    expect((await events(account.primary.secret, { apiKeyId: revoked.id })).map((e) => e.action)).toEqual([
      'API_KEY_REVOKED',
      'API_KEY_RESET',
      'API_KEY_CREATED',
    ]);

    const deleted = await seed.key(account.primary.secret, { name: 'to delete' });
    await mutate('mutation($id: ID!) { deleteApiKey(id: $id) }', { id: deleted.id });
    expect((await events(account.primary.secret, { apiKeyId: deleted.id })).map((e) => e.action)).toEqual([
      'API_KEY_DELETED',
      'API_KEY_CREATED',
    ]);
  });

  it('matches key events only: a client or the account sharing the id is not part of it', async () => {
    const client = await seed.client(account.primary.secret);
    for (const id of [client.id, account.id]) {
      const found = await events(account.primary.secret, { apiKeyId: id });
      expect(found.every((e) => e.targetType === 'API_KEY' && e.targetId === id)).toBe(true);
    }
    expect(await events(account.primary.secret, { targetId: client.id, targetType: 'CLIENT' })).toContainEqual(
      expect.objectContaining({ action: 'CLIENT_CREATED' }),
    );
  });

  it("finds nothing for another account's key, or for an id that is no key", async () => {
    const stranger = await seed.account();
    expect(await events(account.primary.secret, { apiKeyId: stranger.primary.id })).toEqual([]);
    expect(await events(account.primary.secret, { apiKeyId: 'not-an-id' })).toEqual([]);
  });
});
