import { graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { TEST_JWT_SECRET } from '../support/user-tokens';
import {
  accountUsage,
  byOutcome,
  clientUsage,
  developerOf,
  flushUsage,
  keyUsageCall,
  thisHour,
  USAGE_TEST_CONFIG,
  verifyCode,
} from './usage.fixtures';

/*
 * Account.usage sums every key of the account (revoked ones included),
 * Client.usage the client's keys; each caller sees only its own scope: a
 * client key its client, an account nothing of another. Everything is seeded
 * by a developer's user token, which is no key and counts nothing itself.
 */
describe('usage summed for accounts and clients, within the caller scope', () => {
  const t = useTestServer({ ...USAGE_TEST_CONFIG, authJwtSecret: TEST_JWT_SECRET });
  let accountId: string;
  let developer: string;
  let admin: { id: string; secret: string };
  let acme: { id: string };
  let globex: { id: string };
  let acmeKey: { id: string; secret: string };
  let globexKey: { id: string; secret: string };
  let otherDeveloper: string;

  beforeAll(async () => {
    const account = await t.seed.account();
    accountId = account.id;
    developer = await developerOf(account.id);
    otherDeveloper = await developerOf((await t.seed.account()).id);
    admin = await t.seed.key(developer);
    acme = await t.seed.client(developer, 'Acme');
    globex = await t.seed.client(developer, 'Globex');
    acmeKey = await t.seed.key(developer, { clientId: acme.id, permissions: ['KEYS_READ'] });
    globexKey = await t.seed.key(developer, { clientId: globex.id });
    for (let i = 0; i < 2; i++) await verifyCode(t, developer, admin.secret);
    for (let i = 0; i < 3; i++) await verifyCode(t, developer, acmeKey.secret);
    for (let i = 0; i < 4; i++) await verifyCode(t, developer, globexKey.secret);
    await graphql(t.url, {
      as: developer,
      query: 'mutation($id: ID!) { deactivateApiKey(id: $id) { id } }',
      variables: { id: globexKey.id },
    });
    await verifyCode(t, developer, globexKey.secret);
    await flushUsage(t);
  });

  it('sums every key of the account in Account.usage, and the client keys of a client in Client.usage', async () => {
    expect(byOutcome(await accountUsage(t, developer, thisHour(t)))).toEqual({ VALID: 2 + 3 + 4, INACTIVE: 1 });
    expect(byOutcome((await clientUsage(t, developer, acme.id, thisHour(t))) ?? [])).toEqual({ VALID: 3 });
    expect(byOutcome((await clientUsage(t, developer, globex.id, thisHour(t))) ?? [])).toEqual({ VALID: 4, INACTIVE: 1 });
  });

  it("shows a client key its own client's counts only, even in Account.usage", async () => {
    expect(byOutcome(await accountUsage(t, acmeKey.secret, thisHour(t)))).toEqual({ VALID: 3 });
    expect(byOutcome((await keyUsageCall(t, acmeKey.secret, acmeKey.id, thisHour(t))).data?.apiKey.usage)).toEqual({ VALID: 3 });
    // Another client's key, or an admin key, is out of its scope: no such key.
    expect((await keyUsageCall(t, acmeKey.secret, admin.id, thisHour(t))).data?.apiKey).toBeNull();
    expect((await keyUsageCall(t, acmeKey.secret, globexKey.id, thisHour(t))).data?.apiKey).toBeNull();
  });

  it("shows another account nothing of this one's", async () => {
    expect(await accountUsage(t, otherDeveloper, thisHour(t))).toEqual([]);
    expect((await keyUsageCall(t, otherDeveloper, admin.id, thisHour(t))).data?.apiKey).toBeNull();
    expect(await clientUsage(t, otherDeveloper, acme.id, thisHour(t))).toBeNull();
  });

  it("gives the operator any account's sums, the same as its developers see", async () => {
    const { from, to } = thisHour(t);
    const res = await graphql(t.url, {
      as: t.operatorToken,
      query: `query($from: DateTimeISO!, $to: DateTimeISO!) {
        accounts(first: 100) { edges { node { id usage(from: $from, to: $to) { outcome count } } } }
      }`,
      variables: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    });
    const node = res.data?.accounts.edges.map((edge: any) => edge.node).find((account: any) => account.id === accountId);
    expect(byOutcome(node.usage)).toEqual({ VALID: 9, INACTIVE: 1 });
  });

  it('needs keys:read: without it the field is null with FORBIDDEN, and the account is still answered', async () => {
    const { from, to } = thisHour(t);
    const reader = await t.seed.key(developer, { permissions: ['LEADS_READ'] });
    const res = await graphql(t.url, {
      as: reader.secret,
      query: 'query($from: DateTimeISO!, $to: DateTimeISO!) { account { id usage(from: $from, to: $to) { count } } }',
      variables: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    });
    expect(res.data?.account).toEqual({ id: accountId, usage: null });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
