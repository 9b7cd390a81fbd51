import { codeOf, dataOf, expectDenied } from '../support/graphql';
import { SeededAccount } from '../support/seed';
import { useTestServer } from '../support/harness';

const CREATE = 'mutation($input: CreateClientInput!) { createClient(input: $input) { id name createdAt updatedAt } }';
const RENAME = 'mutation($id: ID!, $name: String!) { renameClient(id: $id, name: $name) { id name } }';
const GET = 'query($id: ID!) { client(id: $id) { id name } }';
const LIST = `query($filter: ClientFilter, $first: Int, $after: String) {
  clients(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { cursor node { id name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

describe('clients', () => {
  const t = useTestServer();

  const primary = (query: string, variables?: Record<string, unknown>) => t.call(t.account.primary.secret, query, variables);

  describe('createClient', () => {
    it('creates a client with a trimmed name', async () => {
      const res = await primary(CREATE, { input: { name: '  Acme Corp  ' } });
      const client = dataOf(res).createClient;
      expect(client).toMatchObject({ id: expect.any(String), name: 'Acme Corp' });
      expect(Date.parse(client.createdAt)).not.toBeNaN();
      expect(dataOf(await primary(GET, { id: client.id })).client).toEqual({ id: client.id, name: 'Acme Corp' });
    });

    it('accepts a name of exactly 100 characters, and any script', async () => {
      expect(dataOf(await primary(CREATE, { input: { name: 'x'.repeat(100) } })).createClient.name).toHaveLength(100);
      expect(dataOf(await primary(CREATE, { input: { name: 'Müller & Söhne (東京)' } })).createClient.name).toBe('Müller & Söhne (東京)');
    });

    it.each([
      ['empty', ''],
      ['blank', '   '],
      ['over 100 characters', 'x'.repeat(101)],
      ['with a control character', 'Acme\u0000Corp'],
      ['with a line break', 'Acme\nCorp'],
    ])('refuses a name that is %s with BAD_USER_INPUT on name', async (_case, name) => {
      const res = await primary(CREATE, { input: { name } });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
      expect(res.errors?.[0].path).toEqual(['createClient']);
    });
  });

  describe('renameClient', () => {
    it('renames, trimming the new name', async () => {
      const client = await t.seed.client(t.account.primary.secret, 'Before');
      const res = await primary(RENAME, { id: client.id, name: '  After  ' });
      expect(dataOf(res).renameClient).toEqual({ id: client.id, name: 'After' });
      expect(dataOf(await primary(GET, { id: client.id })).client.name).toBe('After');
    });

    it.each([
      ['blank', '  '],
      ['over 100 characters', 'y'.repeat(101)],
      ['with a control character', 'bad\u0007name'],
    ])('refuses a name that is %s with BAD_USER_INPUT on name and keeps the old one', async (_case, name) => {
      const client = await t.seed.client(t.account.primary.secret, 'Keep me');
      const res = await primary(RENAME, { id: client.id, name });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
      expect(res.errors?.[0].path).toEqual(['renameClient']);
      expect(dataOf(await primary(GET, { id: client.id })).client.name).toBe('Keep me');
    });

    it.each([['999999'], ['abc'], ['-1'], ['0']])('answers NOT_FOUND for the id %s', async (id) => {
      const res = await primary(RENAME, { id, name: 'x' });
      expectDenied(res, 'NOT_FOUND', 'renameClient');
    });
  });

  describe('client(id)', () => {
    it('returns the client, and null for an id that is not one', async () => {
      const client = await t.seed.client(t.account.primary.secret, 'Lookup');
      expect(dataOf(await primary(GET, { id: client.id })).client).toEqual(client);
      for (const id of ['999999', 'abc', '0', '99999999999999999999']) {
        const res = await primary(GET, { id });
        expect(res.errors).toBeUndefined();
        expect(res.data.client).toBeNull();
      }
    });

    it('needs clients:read', async () => {
      const client = await t.seed.client(t.account.primary.secret);
      const reader = await t.seed.key(t.account.primary.secret, { permissions: ['CLIENTS_READ'] });
      const none = await t.seed.key(t.account.primary.secret, { permissions: ['KEYS_READ'] });
      expect((await t.data(reader.secret, GET, { id: client.id })).client).toEqual(client);
      const res = await t.call(none.secret, GET, { id: client.id });
      expectDenied(res, 'FORBIDDEN', 'client');
    });
  });

  describe('clients list', () => {
    let own: SeededAccount;
    let made: Array<{ id: string; name: string }>;

    beforeAll(async () => {
      own = await t.seed.account();
      made = [];
      for (const name of ['Alpha Ltd', 'alphabet soup', 'Beta 100%', 'Gamma_1', 'GammaX1', 'Delta']) {
        made.push(await t.seed.client(own.primary.secret, name));
      }
    });

    const list = (variables: Record<string, unknown> = {}) => t.call(own.primary.secret, LIST, variables);

    it('lists the account’s clients newest first', async () => {
      const { clients } = dataOf(await list());
      expect(clients.totalCount).toBe(made.length);
      expect(clients.edges.map((e: any) => e.node)).toEqual([...made].reverse());
      expect(clients.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    });

    it.each([
      ['alpha', ['alphabet soup', 'Alpha Ltd']],
      ['ALPHA L', ['Alpha Ltd']],
      ['100%', ['Beta 100%']],
      ['%', ['Beta 100%']],
      ['a_1', ['Gamma_1']],
      ['_', ['Gamma_1']],
      ['nothing like it', []],
    ])('filters by name %j (partial, case-insensitive, %% and _ literal)', async (name, expected) => {
      const { clients } = dataOf(await list({ filter: { name } }));
      expect(clients.edges.map((e: any) => e.node.name)).toEqual(expected);
      expect(clients.totalCount).toBe(expected.length);
    });

    it('pages with first and after, without gaps or repeats', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const { clients }: any = dataOf(await list({ first: 4, after }));
        pages++;
        expect(clients.totalCount).toBe(made.length);
        expect(clients.pageInfo.hasPreviousPage).toBe(after !== null);
        seen.push(...clients.edges.map((e: any) => e.node.id));
        expect(clients.pageInfo.endCursor).toBe(clients.edges.at(-1).cursor);
        if (!clients.pageInfo.hasNextPage) break;
        after = clients.pageInfo.endCursor;
      }
      expect(pages).toBe(2);
      expect(seen).toEqual(made.map((c) => c.id).reverse());
    });

    it('pages a filtered list', async () => {
      const first = dataOf(await list({ filter: { name: 'gamma' }, first: 1 })).clients;
      expect(first.edges.map((e: any) => e.node.name)).toEqual(['GammaX1']);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const second = dataOf(await list({ filter: { name: 'gamma' }, first: 1, after: first.pageInfo.endCursor })).clients;
      expect(second.edges.map((e: any) => e.node.name)).toEqual(['Gamma_1']);
      expect(second.pageInfo.hasNextPage).toBe(false);
    });

    it.each([
      ['first over 100', { first: 101 }, 'first'],
      ['a negative first', { first: -1 }, 'first'],
      ['a cursor that is not one', { after: 'bogus' }, 'after'],
    ])('refuses %s with BAD_USER_INPUT', async (_case, variables, field) => {
      const res = await list(variables);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    });

    it('does not show another account’s clients', async () => {
      const { clients } = dataOf(await primary(LIST, { filter: { name: 'alpha' } }));
      expect(clients.totalCount).toBe(0);
    });
  });

  describe('Client.apiKeys', () => {
    it('lists the client’s live keys, newest first, and no one else’s', async () => {
      const client = await t.seed.client(t.account.primary.secret, 'With keys');
      const other = await t.seed.client(t.account.primary.secret, 'Other');
      const a = await t.seed.key(t.account.primary.secret, { clientId: client.id, name: 'first' });
      const b = await t.seed.key(t.account.primary.secret, { clientId: client.id, name: 'second' });
      await t.seed.key(t.account.primary.secret, { clientId: other.id });
      await t.seed.key(t.account.primary.secret);
      const res = await primary('query($id: ID!) { client(id: $id) { name apiKeys { id name kind client { id } } } }', {
        id: client.id,
      });
      expect(dataOf(res).client).toEqual({
        name: 'With keys',
        apiKeys: [
          { id: b.id, name: 'second', kind: 'CLIENT', client: { id: client.id } },
          { id: a.id, name: 'first', kind: 'CLIENT', client: { id: client.id } },
        ],
      });
    });

    it('resolves each client’s keys in a list', async () => {
      const own = await t.seed.account();
      const c1 = await t.seed.client(own.primary.secret, 'one');
      await t.seed.client(own.primary.secret, 'two');
      const k1 = await t.seed.key(own.primary.secret, { clientId: c1.id });
      const res = await t.call(own.primary.secret, '{ clients { edges { node { name apiKeys { id } } } } }');
      expect(dataOf(res).clients.edges.map((e: any) => e.node)).toEqual([
        { name: 'two', apiKeys: [] },
        { name: 'one', apiKeys: [{ id: k1.id }] },
      ]);
    });

    it('needs keys:read: FORBIDDEN on the field, while the client itself still resolves', async () => {
      const client = await t.seed.client(t.account.primary.secret, 'Guarded');
      await t.seed.key(t.account.primary.secret, { clientId: client.id });
      const reader = await t.seed.key(t.account.primary.secret, { permissions: ['CLIENTS_READ'] });
      const res = await t.call(reader.secret, 'query($id: ID!) { client(id: $id) { id name apiKeys { id } } }', { id: client.id });
      expect(res.status).toBe(200);
      expect(res.data.client).toEqual({ id: client.id, name: 'Guarded', apiKeys: null });
      expect(res.errors).toHaveLength(1);
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect(res.errors?.[0].path).toEqual(['client', 'apiKeys']);
    });

    it('without keys:read, a list of clients still comes back, each with apiKeys null', async () => {
      const own = await t.seed.account();
      await t.seed.client(own.primary.secret, 'one');
      await t.seed.client(own.primary.secret, 'two');
      const reader = await t.seed.key(own.primary.secret, { permissions: ['CLIENTS_READ'] });
      const res = await t.call(reader.secret, '{ clients { edges { node { name apiKeys { id } } } } }');
      expect(res.data.clients.edges.map((e: any) => e.node)).toEqual([
        { name: 'two', apiKeys: null },
        { name: 'one', apiKeys: null },
      ]);
      expect(res.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([
        ['FORBIDDEN', ['clients', 'edges', 0, 'node', 'apiKeys']],
        ['FORBIDDEN', ['clients', 'edges', 1, 'node', 'apiKeys']],
      ]);
    });
  });

  describe('client keys', () => {
    it.each([
      ['createClient', CREATE, { input: { name: 'From a client key' } }],
      ['renameClient', RENAME, { name: 'Renamed by a client key' }],
    ])('cannot call %s', async (field, query, variables) => {
      const client = await t.seed.client(t.account.primary.secret, 'Client keys cannot touch me');
      const key = await t.seed.key(t.account.primary.secret, {
        clientId: client.id,
        permissions: ['KEYS_READ', 'KEYS_WRITE', 'LEADS_READ', 'AUDIT_READ'],
      });
      const res = await t.call(key.secret, query, { id: client.id, ...variables });
      expectDenied(res, 'FORBIDDEN', field);
      expect(dataOf(await primary(GET, { id: client.id })).client.name).toBe('Client keys cannot touch me');
    });
  });
});
