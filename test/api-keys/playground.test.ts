import { codeOf, dataOf } from '../support/graphql';
import { useTestServer } from '../support/harness';

const CREATE_PLAYGROUND = 'mutation { createPlaygroundKey { secret apiKey { id name kind status permissions expiresAt } } }';

describe('playground keys', () => {
  const t = useTestServer();

  it('are 1-hour admin keys with keys:read and the four leads permissions that list like any key', async () => {
    const before = Date.now();
    const { secret, apiKey } = (await t.data(t.account.primary.secret, CREATE_PLAYGROUND)).createPlaygroundKey;
    expect(apiKey).toMatchObject({
      name: 'Docs playground (temp)',
      kind: 'ADMIN',
      status: 'ACTIVE',
      permissions: ['KEYS_READ', 'LEADS_READ', 'LEADS_CREATE', 'LEADS_UPDATE', 'LEADS_DELETE'],
    });
    const expiresIn = Date.parse(apiKey.expiresAt) - before;
    expect(expiresIn).toBeGreaterThan(59 * 60 * 1000);
    expect(expiresIn).toBeLessThanOrEqual(61 * 60 * 1000);

    const me = await t.call(secret, '{ viewer { principal permissions } }');
    expect(dataOf(me).viewer.principal).toBe('ADMIN_KEY');

    const listed = await t.call(t.account.primary.secret, '{ apiKeys(filter: { name: "playground" }) { edges { node { id } } } }');
    expect(dataOf(listed).apiKeys.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(apiKey.id);
  });

  it('can be revoked early', async () => {
    const { secret, apiKey } = (await t.data(t.account.primary.secret, CREATE_PLAYGROUND)).createPlaygroundKey;
    dataOf(await t.call(t.account.primary.secret, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: apiKey.id }));
    expect((await t.call(secret, '{ viewer { principal } }')).status).toBe(401);
  });

  it('need keys:write, and the leads permissions they grant', async () => {
    const reader = await t.seed.key(t.account.primary.secret, { permissions: ['KEYS_READ'] });
    expect(codeOf(await t.call(reader.secret, CREATE_PLAYGROUND))).toBe('FORBIDDEN');
    const writerWithoutLeads = await t.seed.key(t.account.primary.secret, { permissions: ['KEYS_WRITE'] });
    expect(codeOf(await t.call(writerWithoutLeads.secret, CREATE_PLAYGROUND))).toBe('FORBIDDEN');
  });

  it('are refused to client keys', async () => {
    const client = await t.seed.client(t.account.primary.secret);
    const clientKey = await t.seed.key(t.account.primary.secret, {
      name: 'client writer',
      clientId: client.id,
      permissions: ['KEYS_WRITE', 'LEADS_READ', 'LEADS_CREATE', 'LEADS_UPDATE', 'LEADS_DELETE'],
    });
    expect(codeOf(await t.call(clientKey.secret, CREATE_PLAYGROUND))).toBe('FORBIDDEN');
  });
});
