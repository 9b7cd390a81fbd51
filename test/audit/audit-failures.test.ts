import { codeOf, dataOf } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { SeededAccount } from '../support/seed';
import { auditReads } from './audit.fixtures';

/** What writes no event: a change refused for any reason, and a change that changes nothing. */
describe('audit events', () => {
  const t = useTestServer({}, { account: false });
  const { events, count } = auditReads(t);

  describe('a change that fails writes no event', () => {
    let account: SeededAccount;

    beforeAll(async () => {
      account = await t.seed.account();
    });

    it('LIMIT_EXCEEDED', async () => {
      // The primary key is the first of the 25 admin keys the account may hold.
      for (let i = 1; i < 25; i++) await t.seed.key(account.primary.secret, { name: `filler ${i}` });
      const before = await count(account.primary.secret);
      const res = await t.call(account.primary.secret, 'mutation { createApiKey(input: { name: "one too many" }) { secret } }');
      expect(codeOf(res)).toBe('LIMIT_EXCEEDED');
      expect(await count(account.primary.secret)).toBe(before);
      expect(await events(account.primary.secret, { action: 'API_KEY_CREATED' })).toHaveLength(25);
    });

    it.each([
      [
        'a grant the caller does not hold (FORBIDDEN)',
        'FORBIDDEN',
        'mutation { createApiKey(input: { name: "wider", permissions: [AUDIT_READ] }) { secret } }',
      ],
      [
        'a reset of the primary key by a narrower key (FORBIDDEN)',
        'FORBIDDEN',
        'mutation($primary: ID!) { resetApiKey(id: $primary) { secret } }',
      ],
      ['a bad name (BAD_USER_INPUT)', 'BAD_USER_INPUT', 'mutation($own: ID!) { renameApiKey(id: $own, name: "  ") { id } }'],
      ['a missing key (NOT_FOUND)', 'NOT_FOUND', 'mutation { deactivateApiKey(id: "999999") { id } }'],
    ])('%s', async (_case, code, query) => {
      const other = await t.seed.account();
      const narrow = await t.seed.key(other.primary.secret, { permissions: ['KEYS_READ', 'KEYS_WRITE'] });
      const before = await count(other.primary.secret);
      const res = await t.call(narrow.secret, query, { primary: other.primary.id, own: narrow.id });
      expect(codeOf(res)).toBe(code);
      expect(await count(other.primary.secret)).toBe(before);
    });

    it('nor does a change that changes nothing', async () => {
      const client = await t.seed.client(account.primary.secret, 'Same');
      const before = await count(account.primary.secret);
      dataOf(
        await t.call(account.primary.secret, 'mutation($id: ID!) { renameClient(id: $id, name: " Same ") { id } }', { id: client.id }),
      );
      dataOf(
        await t.call(t.operatorToken, 'mutation($id: ID!, $name: String!) { updateAccount(id: $id, input: { name: $name }) { id } }', {
          id: account.id,
          name: account.name,
        }),
      );
      expect(await count(account.primary.secret)).toBe(before);
    });
  });
});
