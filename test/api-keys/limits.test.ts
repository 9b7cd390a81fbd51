import { codeOf, dataOf, GraphQLResponse } from '../support/graphql';
import { SeededAccount } from '../support/seed';
import { useTestServer } from '../support/harness';

const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id prefix } } }`;
const KEY_LIMIT = 25;

describe('key limits', () => {
  const t = useTestServer({}, { account: false });

  function create(as: string, input: Record<string, unknown> = {}): Promise<GraphQLResponse> {
    return t.call(as, CREATE, { input: { name: 'key', ...input } });
  }

  function mutate(as: string, query: string, id: string): Promise<GraphQLResponse> {
    return t.call(as, query, { id });
  }

  function expectLimitExceeded(res: GraphQLResponse): void {
    expect(codeOf(res)).toBe('LIMIT_EXCEEDED');
    expect(res.errors?.[0].extensions?.limit).toBe(KEY_LIMIT);
    expect(res.errors?.[0].path).toEqual(['createApiKey']);
    expect(res.data).toBeNull();
  }

  async function countKeys(as: string, filter: Record<string, unknown>): Promise<number> {
    const res = await t.call(as, 'query($filter: ApiKeyFilter) { apiKeys(filter: $filter) { totalCount } }', { filter });
    return dataOf(res).apiKeys.totalCount;
  }

  async function countCreations(as: string): Promise<number> {
    const res = await t.call(as, '{ auditEvents(filter: { action: API_KEY_CREATED }) { totalCount } }');
    return dataOf(res).auditEvents.totalCount;
  }

  /** Makes `count` keys one after another, returning their ids. */
  async function fill(as: string, count: number, input: Record<string, unknown> = {}): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(dataOf(await create(as, { name: `key ${i}`, ...input })).createApiKey.apiKey.id);
    return ids;
  }

  describe('25 admin keys per account', () => {
    let account: SeededAccount;
    let admin: string;
    let ids: string[];

    beforeAll(async () => {
      account = await t.seed.account();
      admin = account.primary.secret;
      // The primary key is the first of the 25.
      ids = await fill(admin, KEY_LIMIT - 1);
    });

    it('refuses the 26th with LIMIT_EXCEEDED, counting the primary key', async () => {
      expect(await countKeys(admin, { kind: 'ADMIN' })).toBe(KEY_LIMIT);
      expectLimitExceeded(await create(admin));
      expect(await countKeys(admin, { kind: 'ADMIN' })).toBe(KEY_LIMIT);
    });

    it('still counts deactivated keys', async () => {
      dataOf(await mutate(admin, 'mutation($id: ID!) { deactivateApiKey(id: $id) { id } }', ids[0]));
      dataOf(await mutate(admin, 'mutation($id: ID!) { deactivateApiKey(id: $id) { id } }', ids[1]));
      expectLimitExceeded(await create(admin));
    });

    it('frees a slot when a key is revoked', async () => {
      dataOf(await mutate(admin, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', ids[0]));
      dataOf(await create(admin, { name: 'after revoke' }));
      expectLimitExceeded(await create(admin));
    });

    it('frees a slot when a key is deleted', async () => {
      dataOf(await mutate(admin, 'mutation($id: ID!) { deleteApiKey(id: $id) }', ids[1]));
      dataOf(await create(admin, { name: 'after delete' }));
      expectLimitExceeded(await create(admin));
      expect(await countKeys(admin, { kind: 'ADMIN' })).toBe(KEY_LIMIT);
    });

    it('does not count client keys, nor limit them by the admin keys', async () => {
      const client = await t.seed.client(admin);
      dataOf(await create(admin, { clientId: client.id }));
      expectLimitExceeded(await create(admin));
    });

    it("does not touch another account's allowance", async () => {
      const other = await t.seed.account();
      dataOf(await create(other.primary.secret));
    });
  });

  describe('25 keys per client', () => {
    let account: SeededAccount;
    let admin: string;
    let client: { id: string };
    let ids: string[];

    beforeAll(async () => {
      account = await t.seed.account();
      admin = account.primary.secret;
      client = await t.seed.client(admin);
      ids = await fill(admin, KEY_LIMIT, { clientId: client.id });
    });

    it('refuses the 26th with LIMIT_EXCEEDED', async () => {
      expect(await countKeys(admin, { clientId: client.id })).toBe(KEY_LIMIT);
      expectLimitExceeded(await create(admin, { clientId: client.id }));
    });

    it('counts deactivated keys, and frees a slot for a revoked or deleted one', async () => {
      dataOf(await mutate(admin, 'mutation($id: ID!) { deactivateApiKey(id: $id) { id } }', ids[0]));
      expectLimitExceeded(await create(admin, { clientId: client.id }));

      dataOf(await mutate(admin, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', ids[0]));
      dataOf(await create(admin, { clientId: client.id }));
      expectLimitExceeded(await create(admin, { clientId: client.id }));

      dataOf(await mutate(admin, 'mutation($id: ID!) { deleteApiKey(id: $id) }', ids[1]));
      dataOf(await create(admin, { clientId: client.id }));
      expectLimitExceeded(await create(admin, { clientId: client.id }));
    });

    it('limits each client on its own, and leaves admin keys alone', async () => {
      const other = await t.seed.client(admin);
      dataOf(await create(admin, { clientId: other.id }));
      dataOf(await create(admin));
    });

    it('holds for keys a client key makes for its own client', async () => {
      const own = await t.seed.client(admin);
      const maker = dataOf(await create(admin, { clientId: own.id, permissions: ['KEYS_READ', 'KEYS_WRITE'] })).createApiKey;
      await fill(maker.secret, KEY_LIMIT - 1);
      expect(await countKeys(admin, { clientId: own.id })).toBe(KEY_LIMIT);
      expectLimitExceeded(await create(maker.secret));
    });
  });

  describe('under concurrent creation', () => {
    async function race(as: string, input: Record<string, unknown> = {}) {
      const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => create(as, { name: `racer ${i}`, ...input })));
      const created = responses.filter((res) => !res.errors && res.data?.createApiKey);
      const refused = responses.filter((res) => codeOf(res) === 'LIMIT_EXCEEDED');
      // Nothing else: no deadlocks, no internal errors.
      expect(responses.filter((res) => !created.includes(res) && !refused.includes(res)).map((res) => res.errors)).toEqual([]);
      return { created, refused };
    }

    it('lets exactly 24 of 50 simultaneous admin keys through next to the primary key', async () => {
      const account = await t.seed.account();
      const { created, refused } = await race(account.primary.secret);
      expect(created).toHaveLength(KEY_LIMIT - 1);
      expect(refused).toHaveLength(50 - (KEY_LIMIT - 1));
      expect(await countKeys(account.primary.secret, { kind: 'ADMIN' })).toBe(KEY_LIMIT);
      // One audit event per key that exists, none for a refused one.
      expect(await countCreations(account.primary.secret)).toBe(KEY_LIMIT);
    });

    it('lets exactly 25 of 50 simultaneous keys through for a fresh client', async () => {
      const account = await t.seed.account();
      const client = await t.seed.client(account.primary.secret);
      const { created, refused } = await race(account.primary.secret, { clientId: client.id });
      expect(created).toHaveLength(KEY_LIMIT);
      expect(refused).toHaveLength(50 - KEY_LIMIT);
      expect(await countKeys(account.primary.secret, { clientId: client.id })).toBe(KEY_LIMIT);
      expect(await countCreations(account.primary.secret)).toBe(1 + KEY_LIMIT);
    });

    it('keeps two clients of one account racing at once apart', async () => {
      const account = await t.seed.account();
      const [a, b] = [await t.seed.client(account.primary.secret), await t.seed.client(account.primary.secret)];
      const [raceA, raceB, raceAdmin] = await Promise.all([
        race(account.primary.secret, { clientId: a.id }),
        race(account.primary.secret, { clientId: b.id }),
        race(account.primary.secret),
      ]);
      expect([raceA.created.length, raceB.created.length, raceAdmin.created.length]).toEqual([KEY_LIMIT, KEY_LIMIT, KEY_LIMIT - 1]);
      expect(await countKeys(account.primary.secret, { clientId: a.id })).toBe(KEY_LIMIT);
      expect(await countKeys(account.primary.secret, { clientId: b.id })).toBe(KEY_LIMIT);
      expect(await countKeys(account.primary.secret, { kind: 'ADMIN' })).toBe(KEY_LIMIT);
    });
  });
});
