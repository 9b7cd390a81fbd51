import { useTestServer } from '../support/harness';

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
  const t = useTestServer();

  async function events(as: string, filter: Record<string, unknown>): Promise<Event[]> {
    return (await t.data(as, EVENTS, { filter })).auditEvents.edges.map((edge: { node: Event }) => edge.node);
  }

  async function mutate(query: string, variables: Record<string, unknown>) {
    return await t.data(t.account.primary.secret, query, variables);
  }

  const reset = (id: string) =>
    mutate('mutation($id: ID!) { resetApiKey(id: $id) { apiKey { prefix } } }', { id }).then((d) => d.resetApiKey.apiKey.prefix);

  it("follows a key across resets, which targetPrefix cannot, and leaves other keys' events out", async () => {
    const key = await t.seed.key(t.account.primary.secret, { name: 'rotated' });
    const other = await t.seed.key(t.account.primary.secret, { name: 'bystander' });
    await mutate('mutation($id: ID!) { renameApiKey(id: $id, name: "rotated twice") { id } }', { id: key.id });
    const second = await reset(key.id);
    const third = await reset(key.id);
    await mutate('mutation($id: ID!) { renameApiKey(id: $id, name: "bystander renamed") { id } }', { id: other.id });

    const history = await events(t.account.primary.secret, { apiKeyId: key.id });
    expect(history.map((e) => [e.action, e.targetPrefix])).toEqual([
      ['API_KEY_RESET', third],
      ['API_KEY_RESET', second],
      ['API_KEY_RENAMED', key.prefix],
      ['API_KEY_CREATED', key.prefix],
    ]);
    expect(history.every((e) => e.targetId === key.id)).toBe(true);

    // The prefix filter sees only the stretch of the key's life under one prefix.
    expect((await events(t.account.primary.secret, { targetPrefix: third })).map((e) => e.action)).toEqual(['API_KEY_RESET']);
  });

  it('keeps the history of a revoked key, and of a deleted one', async () => {
    const revoked = await t.seed.key(t.account.primary.secret, { name: 'to revoke' });
    await reset(revoked.id);
    await mutate('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: revoked.id });
    expect((await events(t.account.primary.secret, { apiKeyId: revoked.id })).map((e) => e.action)).toEqual([
      'API_KEY_REVOKED',
      'API_KEY_RESET',
      'API_KEY_CREATED',
    ]);

    const deleted = await t.seed.key(t.account.primary.secret, { name: 'to delete' });
    await mutate('mutation($id: ID!) { deleteApiKey(id: $id) }', { id: deleted.id });
    expect((await events(t.account.primary.secret, { apiKeyId: deleted.id })).map((e) => e.action)).toEqual([
      'API_KEY_DELETED',
      'API_KEY_CREATED',
    ]);
  });

  it('matches key events only: a client or the account sharing the id is not part of it', async () => {
    const client = await t.seed.client(t.account.primary.secret);
    for (const id of [client.id, t.account.id]) {
      const found = await events(t.account.primary.secret, { apiKeyId: id });
      expect(found.every((e) => e.targetType === 'API_KEY' && e.targetId === id)).toBe(true);
    }
    expect(await events(t.account.primary.secret, { targetId: client.id, targetType: 'CLIENT' })).toContainEqual(
      expect.objectContaining({ action: 'CLIENT_CREATED' }),
    );
  });

  it("finds nothing for another account's key, or for an id that is no key", async () => {
    const stranger = await t.seed.account();
    expect(await events(t.account.primary.secret, { apiKeyId: stranger.primary.id })).toEqual([]);
    expect(await events(t.account.primary.secret, { apiKeyId: 'not-an-id' })).toEqual([]);
  });
});
