import { graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { keyAllowing, overIPv4, UPDATE_KEY, viewerWith, VERIFY_FROM } from './ip-allowlists.fixtures';

/*
 * updateApiKey changes allowedIps (absent: unchanged; null or []: any
 * address), checked like createApiKey's, audited, and in force on the very
 * next request: the key leaves the verification cache at once.
 */
describe('allowedIps with updateApiKey', () => {
  const t = useTestServer();
  let url: string;
  beforeAll(() => {
    url = overIPv4(t.url);
  });

  const update = (id: string, input: Record<string, unknown>) =>
    graphql(url, { as: t.account.primary.secret, query: UPDATE_KEY, variables: { id, input } });

  it('replaces the list, normalised; leaves it as it is when absent; clears it with null or []', async () => {
    const key = await keyAllowing(url, t.account.primary.secret, ['10.0.0.0/8']);
    expect((await update(key.id, { allowedIps: ['2001:DB8::/32', '192.0.2.9/32'] })).data.updateApiKey.allowedIps).toEqual([
      '2001:db8::/32',
      '192.0.2.9',
    ]);
    expect((await update(key.id, { name: 'renamed' })).data.updateApiKey.allowedIps).toEqual(['2001:db8::/32', '192.0.2.9']);
    expect((await update(key.id, { allowedIps: null })).data.updateApiKey.allowedIps).toEqual([]);
    await update(key.id, { allowedIps: ['192.0.2.9'] });
    expect((await update(key.id, { allowedIps: [] })).data.updateApiKey.allowedIps).toEqual([]);
  });

  it('refuses a bad entry, naming it, and changes nothing', async () => {
    const key = await keyAllowing(url, t.account.primary.secret, ['10.0.0.0/8']);
    const res = await update(key.id, { allowedIps: ['10.0.0.0/8', '300.1.1.1'] });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'allowedIps' });
    expect(res.errors?.[0]?.message).toContain('"300.1.1.1"');
    const tooMany = await update(key.id, { allowedIps: Array.from({ length: 101 }, (_, i) => `192.0.2.${i}`) });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'allowedIps' });
    const read = await t.data(t.account.primary.secret, 'query($id: ID!) { apiKey(id: $id) { allowedIps } }', { id: key.id });
    expect(read.apiKey.allowedIps).toEqual(['10.0.0.0/8']);
  });

  it('audits the change as from → to', async () => {
    const key = await keyAllowing(url, t.account.primary.secret, ['10.0.0.0/8']);
    await update(key.id, { allowedIps: ['10.0.0.0/8', '192.0.2.0/24'] });
    const events = await t.data(
      t.account.primary.secret,
      'query($id: ID!) { auditEvents(filter: { apiKeyId: $id }, first: 5) { edges { node { action details } } } }',
      { id: key.id },
    );
    const updated = events.auditEvents.edges.map((edge: any) => edge.node).find((node: any) => node.action === 'API_KEY_UPDATED');
    expect(updated.details).toEqual({ allowedIps: { from: ['10.0.0.0/8'], to: ['10.0.0.0/8', '192.0.2.0/24'] } });
  });

  it('drops the cached key at once: the next request and verification see the new list', async () => {
    const key = await keyAllowing(url, t.account.primary.secret, ['127.0.0.1']);
    expect((await viewerWith(url, key.secret)).prefix).toBe(key.prefix);
    await update(key.id, { allowedIps: ['10.0.0.0/8'] });
    expect((await viewerWith(url, key.secret)).code).toBe('IP_NOT_ALLOWED');
    await update(key.id, { allowedIps: ['127.0.0.0/8'] });
    expect((await viewerWith(url, key.secret)).prefix).toBe(key.prefix);

    const verify = async (ip: string) =>
      (await graphql(url, { as: t.operatorToken, query: VERIFY_FROM, variables: { key: key.secret, ip } })).data.verifyApiKey.code;
    expect(await verify('192.0.2.1')).toBe('IP_NOT_ALLOWED');
    await update(key.id, { allowedIps: ['192.0.2.0/24'] });
    expect(await verify('192.0.2.1')).toBe('VALID');
    await update(key.id, { allowedIps: null });
    expect((await viewerWith(url, key.secret)).prefix).toBe(key.prefix);
  });
});
