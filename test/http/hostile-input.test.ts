import { codeOf, dataOf } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { rest } from '../rest/rest-client';

const CREATE_LEAD = 'mutation($input: CreateLeadInput!) { createLead(input: $input) { id email name } }';
const CREATE_KEY = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id name } } }';
const RENAME_KEY = 'mutation($id: ID!, $name: String!) { renameApiKey(id: $id, name: $name) { name } }';

describe('text that is not what it seems', () => {
  const t = useTestServer();
  const admin = () => t.account.primary.secret;

  describe('half a character (a lone surrogate) is refused before anything runs', () => {
    it('in a GraphQL variable: 400 BAD_USER_INPUT naming where it is', async () => {
      const res = await t.call(admin(), CREATE_LEAD, { input: { email: '\ud800@x.com', name: 'Lone' } });
      expect(res.status).toBe(400);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.field).toBe('variables.input.email');
      const leads = await t.data(admin(), '{ leads { totalCount } }');
      expect(leads.leads.totalCount).toBe(0);
    });

    it('inline in the query document', async () => {
      const res = await t.call(admin(), '{ leads(filter: { name: "\ud800" }) { totalCount } }');
      expect(res.status).toBe(400);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.field).toBe('query');
    });

    it('in a REST body: 422 naming the field', async () => {
      const client = await t.seed.client(admin());
      const res = await rest(t.url, {
        method: 'POST',
        path: '/api/v1/client/api-key',
        as: admin(),
        body: { clientId: client.id, keyName: 'a\udc00b' },
      });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('BAD_USER_INPUT');
      expect(res.body.error.message).toContain('keyName');
    });

    it('while a whole character outside the BMP (a surrogate pair) is fine', async () => {
      const res = await t.call(admin(), CREATE_LEAD, { input: { email: 'rocket@x.com', name: 'Rocket \u{1F680}' } });
      expect(dataOf(res).createLead.name).toBe('Rocket \u{1F680}');
    });
  });

  describe('names', () => {
    it.each([
      ['a right-to-left override', 'invoice\u202Etxt.exe'],
      ['a zero-width space', 'pro\u200Bduction'],
      ['a zero-width joiner', 'a\u200Db'],
      ['a byte-order mark inside', 'ke\uFEFFy'],
    ])('refuses %s, which would make a name read as another', async (_case, name) => {
      const created = await t.call(admin(), CREATE_KEY, { input: { name, permissions: [] } });
      expect(codeOf(created)).toBe('BAD_USER_INPUT');
      expect(created.errors?.[0].message).toMatch(/invisible formatting characters/);
      const key = await t.seed.key(admin());
      const renamed = await t.call(admin(), RENAME_KEY, { id: key.id, name });
      expect(codeOf(renamed)).toBe('BAD_USER_INPUT');
    });

    it('are stored in NFC, so one name has one spelling', async () => {
      const decomposed = 'Cafe\u0301';
      const res = await t.call(admin(), CREATE_KEY, { input: { name: decomposed, permissions: [] } });
      expect(dataOf(res).createApiKey.apiKey.name).toBe('Caf\u00e9');
      const key = await t.seed.key(admin());
      const renamed = await t.call(admin(), RENAME_KEY, { id: key.id, name: decomposed });
      expect(dataOf(renamed).renameApiKey.name).toBe('Caf\u00e9');
    });
  });
});
