import { parseKey } from '../../src/api-keys/key-material';
import { dataOf, expectDenied } from '../support/graphql';
import { KEY_FIELDS, SeededAccount, PERMISSION_NAMES } from '../support/seed';
import { useTestServer } from '../support/harness';

const ACCOUNT_FIELDS = 'id name rateLimitPerMinute developerApiEnabled createdAt updatedAt';
const CREATE = `mutation($input: CreateAccountInput!) {
  createAccount(input: $input) { account { ${ACCOUNT_FIELDS} } primaryKey { secret apiKey { ${KEY_FIELDS} } } }
}`;
const UPDATE = `mutation($id: ID!, $input: UpdateAccountInput!) { updateAccount(id: $id, input: $input) { ${ACCOUNT_FIELDS} } }`;
const LIST = `query($first: Int, $after: String) {
  accounts(first: $first, after: $after) {
    totalCount
    edges { cursor node { id name } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;

describe('accounts', () => {
  const t = useTestServer({}, { account: false });

  const operator = (query: string, variables?: Record<string, unknown>) => t.call(t.operatorToken, query, variables);

  describe('createAccount', () => {
    it('returns the account and its primary key’s secret, which holds every permission', async () => {
      const res = await operator(CREATE, { input: { name: '  Acme Inc  ' } });
      const { account, primaryKey } = dataOf(res).createAccount;
      expect(account).toMatchObject({ id: expect.any(String), name: 'Acme Inc', rateLimitPerMinute: 1000, developerApiEnabled: true });
      expect(primaryKey.apiKey).toMatchObject({
        name: 'Primary admin key',
        kind: 'ADMIN',
        status: 'ACTIVE',
        isPrimary: true,
        permissions: PERMISSION_NAMES,
        expiresAt: null,
        lastUsedAt: null,
        client: null,
      });
      expect(parseKey(primaryKey.secret)).toMatchObject({ ok: true, prefix: primaryKey.apiKey.prefix });

      const viewer = await t.call(primaryKey.secret, '{ viewer { principal prefix permissions } account { id name } }');
      expect(dataOf(viewer)).toEqual({
        viewer: { principal: 'ADMIN_KEY', prefix: primaryKey.apiKey.prefix, permissions: PERMISSION_NAMES },
        account: { id: account.id, name: 'Acme Inc' },
      });
    });

    it('shows the secret only once: the key is listed afterwards without it', async () => {
      const { account, primaryKey } = dataOf(await operator(CREATE, { input: { name: 'Once' } })).createAccount;
      const res = await t.call(primaryKey.secret, `{ apiKeys { totalCount edges { node { ${KEY_FIELDS} } } } account { id } }`);
      const data = dataOf(res);
      expect(data.apiKeys.totalCount).toBe(1);
      expect(data.apiKeys.edges[0].node).toEqual(primaryKey.apiKey);
      expect(data.account.id).toBe(account.id);
      expect(JSON.stringify(data)).not.toContain(primaryKey.secret.slice(12));
    });

    it('takes a rate limit and the Developer API flag', async () => {
      const res = await operator(CREATE, { input: { name: 'Small plan', rateLimitPerMinute: 60, developerApiEnabled: false } });
      expect(dataOf(res).createAccount.account).toMatchObject({ rateLimitPerMinute: 60, developerApiEnabled: false });
    });

    it('gives every account its own primary key', async () => {
      const a = await t.seed.account();
      const b = await t.seed.account();
      expect(a.id).not.toBe(b.id);
      expect(a.primary.prefix).not.toBe(b.primary.prefix);
      const viewA = await t.data(a.primary.secret, '{ account { id } }');
      expect(viewA.account.id).toBe(a.id);
    });

    it.each([
      ['an empty name', { name: '' }, 'name'],
      ['a blank name', { name: '   ' }, 'name'],
      ['a name over 100 characters', { name: 'n'.repeat(101) }, 'name'],
      ['a control character', { name: 'Acme\u001bInc' }, 'name'],
      ['a zero rate limit', { name: 'Zero', rateLimitPerMinute: 0 }, 'rateLimitPerMinute'],
    ])('refuses %s with BAD_USER_INPUT and creates nothing', async (_case, input, field) => {
      const count = async () => dataOf(await operator(LIST, { first: 0 })).accounts.totalCount;
      const before = await count();
      const res = await operator(CREATE, { input });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.errors?.[0].path).toEqual(['createAccount']);
      expect(await count()).toBe(before);
    });
  });

  describe('updateAccount', () => {
    let account: SeededAccount;

    beforeAll(async () => {
      account = await t.seed.account('Before');
    });

    it('renames the account, trimming the name', async () => {
      const res = await operator(UPDATE, { id: account.id, input: { name: '  After  ' } });
      expect(dataOf(res).updateAccount).toMatchObject({ id: account.id, name: 'After' });
      const own = await t.call(account.primary.secret, '{ account { name } }');
      expect(dataOf(own).account.name).toBe('After');
    });

    it('changes the rate limit and the flag, leaving what was not given', async () => {
      const res = await operator(UPDATE, { id: account.id, input: { rateLimitPerMinute: 120 } });
      expect(dataOf(res).updateAccount).toMatchObject({ name: 'After', rateLimitPerMinute: 120, developerApiEnabled: true });
      const flagged = await operator(UPDATE, { id: account.id, input: { developerApiEnabled: false } });
      expect(dataOf(flagged).updateAccount).toMatchObject({ name: 'After', rateLimitPerMinute: 120, developerApiEnabled: false });
      dataOf(await operator(UPDATE, { id: account.id, input: { developerApiEnabled: true } }));
    });

    it.each([
      ['a blank name', { name: '  ' }, 'name'],
      ['a name over 100 characters', { name: 'n'.repeat(101) }, 'name'],
      ['a control character', { name: 'tab\there' }, 'name'],
      ['a negative rate limit', { rateLimitPerMinute: -5 }, 'rateLimitPerMinute'],
    ])('refuses %s with BAD_USER_INPUT and changes nothing', async (_case, input, field) => {
      const res = await operator(UPDATE, { id: account.id, input });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.errors?.[0].path).toEqual(['updateAccount']);
      const own = await t.call(account.primary.secret, '{ account { name rateLimitPerMinute } }');
      expect(dataOf(own).account).toEqual({ name: 'After', rateLimitPerMinute: 120 });
    });

    it.each([['999999'], ['abc'], ['0'], ['-1']])('answers NOT_FOUND for the id %s', async (id) => {
      const res = await operator(UPDATE, { id, input: { name: 'Ghost' } });
      expectDenied(res, 'NOT_FOUND', 'updateAccount');
    });
  });

  describe('accounts', () => {
    it('lists every account newest first, in pages', async () => {
      const made: SeededAccount[] = [];
      for (const name of ['Page one', 'Page two', 'Page three']) made.push(await t.seed.account(name));
      const newestFirst = made.map((a) => ({ id: a.id, name: a.name })).reverse();

      const first = dataOf(await operator(LIST, { first: 2 })).accounts;
      expect(first.edges.map((e: any) => e.node)).toEqual(newestFirst.slice(0, 2));
      expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

      const second = dataOf(await operator(LIST, { first: 2, after: first.pageInfo.endCursor })).accounts;
      expect(second.edges[0].node).toEqual(newestFirst[2]);
      expect(second.pageInfo.hasPreviousPage).toBe(true);
      expect(second.totalCount).toBe(first.totalCount);

      // Walking every page visits each account exactly once, ids strictly descending.
      const ids: number[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = dataOf(await operator(LIST, { first: 3, after })).accounts;
        ids.push(...page.edges.map((e: any) => Number(e.node.id)));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(ids).toHaveLength(first.totalCount);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(new Set(ids).size).toBe(ids.length);
      for (const account of made) expect(ids).toContain(Number(account.id));
    });

    it('refuses a page size over 100', async () => {
      const res = await operator(LIST, { first: 101 });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    });
  });

  describe('account', () => {
    it('is the caller’s own account, for the primary, a narrow key and a client key alike', async () => {
      const mine = await t.seed.account('Mine');
      const theirs = await t.seed.account('Theirs');
      const narrow = await t.seed.key(mine.primary.secret);
      const client = await t.seed.client(mine.primary.secret);
      const clientKey = await t.seed.key(mine.primary.secret, { clientId: client.id });
      for (const secret of [mine.primary.secret, narrow.secret, clientKey.secret]) {
        const res = await t.call(secret, '{ account { id name } viewer { account { id } } }');
        expect(dataOf(res)).toEqual({ account: { id: mine.id, name: 'Mine' }, viewer: { account: { id: mine.id } } });
      }
      const other = await t.call(theirs.primary.secret, '{ account { id name } }');
      expect(dataOf(other).account).toEqual({ id: theirs.id, name: 'Theirs' });
    });

    it('is UNAUTHENTICATED for anonymous callers and FORBIDDEN for the operator', async () => {
      const anonymous = await t.call(undefined, '{ account { id } }');
      expectDenied(anonymous, 'UNAUTHENTICATED', 'account');
      const op = await operator('{ account { id } }');
      expectDenied(op, 'FORBIDDEN', 'account');
    });
  });
});
