import { createHash } from 'node:crypto';
import { parseKey } from '../../src/api-keys/key-material';
import { dataOf, expectDenied } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { KEY_FIELDS } from '../support/seed';

const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { ${KEY_FIELDS} } } }`;

describe('creating API keys', () => {
  const t = useTestServer();

  it('returns the raw key once, in the documented format, and stores only its SHA-256', async () => {
    const res = await t.call(t.account.primary.secret, CREATE, {
      input: { name: '  Zapier  ', permissions: ['LEADS_READ', 'KEYS_READ', 'LEADS_READ'] },
    });
    const { secret, apiKey } = dataOf(res).createApiKey;
    expect(secret).toMatch(/^sk_[0-9A-Za-z]{8}_[0-9A-Za-z]{38}$/);
    expect(parseKey(secret)).toMatchObject({ ok: true, prefix: apiKey.prefix });
    expect(apiKey).toMatchObject({
      name: 'Zapier',
      kind: 'ADMIN',
      status: 'ACTIVE',
      isPrimary: false,
      permissions: ['KEYS_READ', 'LEADS_READ'],
      lastUsedAt: null,
      client: null,
    });

    const rows = await t.server.dataSource.query('SELECT * FROM api_keys WHERE id = ?', [Number(apiKey.id)]);
    expect(rows[0].key_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(secret.slice(12));

    const again = await t.call(t.account.primary.secret, `query($id: ID!) { apiKey(id: $id) { id prefix } }`, { id: apiKey.id });
    expect(JSON.stringify(again.data)).not.toContain(secret.slice(12));
  });

  it('makes a client key for a client of the account', async () => {
    const client = await t.seed.client(t.account.primary.secret, 'Acme');
    const res = await t.call(t.account.primary.secret, CREATE, {
      input: { name: 'acme-sync_1', clientId: client.id, permissions: ['LEADS_READ'] },
    });
    const { secret, apiKey } = dataOf(res).createApiKey;
    expect(secret).toMatch(/^cl_/);
    expect(apiKey).toMatchObject({ kind: 'CLIENT', client: { id: client.id, name: 'Acme' } });
  });

  it('works with the new key straight away', async () => {
    const key = await t.seed.key(t.account.primary.secret, { permissions: ['KEYS_READ'] });
    const res = await t.call(key.secret, '{ viewer { principal prefix permissions } }');
    expect(dataOf(res).viewer).toEqual({ principal: 'ADMIN_KEY', prefix: key.prefix, permissions: ['KEYS_READ'] });
  });

  it.each([
    ['an empty name', { name: '   ' }, 'name'],
    ['a name over 100 characters', { name: 'x'.repeat(101) }, 'name'],
    ['a control character in the name', { name: 'bad\u0007name' }, 'name'],
    ['an expiry in the past', { name: 'old', expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (_case, input, field) => {
    const res = await t.call(t.account.primary.secret, CREATE, { input: { permissions: [], ...input } });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses client key names outside letters, digits, spaces, hyphens and underscores', async () => {
    const client = await t.seed.client(t.account.primary.secret);
    const res = await t.call(t.account.primary.secret, CREATE, { input: { name: 'acme.sync!', clientId: client.id } });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
  });

  it("answers NOT_FOUND for another account's client", async () => {
    const other = await t.seed.account();
    const theirs = await t.seed.client(other.primary.secret);
    const res = await t.call(t.account.primary.secret, CREATE, { input: { name: 'x', clientId: theirs.id } });
    expectDenied(res, 'NOT_FOUND', 'createApiKey');
  });
});
