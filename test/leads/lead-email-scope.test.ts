import { dataOf, GraphQLResponse } from '../support/graphql';
import { SeededKey } from '../support/seed';
import { useTestServer } from '../support/harness';
import { CREATE, LEADS_ALL, leadApi, UPDATE } from './lead.fixtures';

/**
 * Lead emails are unique per client, and the account's own leads among
 * themselves: a client key can never learn, from a refused duplicate, that an
 * email exists in another client or at account level.
 */
describe('lead emails are unique per client', () => {
  const t = useTestServer();
  let api: ReturnType<typeof leadApi>;
  let admin: string;
  let acme: { id: string };
  let globex: { id: string };
  let acmeKey: SeededKey;

  beforeAll(async () => {
    api = leadApi(t);
    admin = t.account.primary.secret;
    acme = await t.seed.client(admin, 'Acme');
    globex = await t.seed.client(admin, 'Globex');
    acmeKey = await t.seed.key(admin, { clientId: acme.id, permissions: LEADS_ALL });
  });

  const create = (as: string, email: string, clientId?: string) =>
    api.call(as, CREATE, { input: { email, name: 'Someone', ...(clientId ? { clientId } : {}) } });

  function expectDuplicate(res: GraphQLResponse, field: string, message: string): void {
    expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.field, e.path, e.message])).toEqual([
      ['BAD_USER_INPUT', 'email', [field], message],
    ]);
  }

  it("lets a client key create a lead whose email another client or the account's own leads already use", async () => {
    await api.lead(admin, { email: 'ada@example.com' });
    await api.lead(admin, { email: 'ada@example.com', clientId: globex.id });
    const res = await create(acmeKey.secret, 'Ada@Example.com');
    expect(dataOf(res).createLead).toMatchObject({ email: 'ada@example.com', client: { id: acme.id } });
    const all = await api.list(admin, { filter: { email: 'ada@example.com' } });
    expect(all.totalCount).toBe(3);
  });

  it("refuses a duplicate within the client, naming only the client's own lead", async () => {
    await api.lead(acmeKey.secret, { email: 'grace@example.com' });
    expectDuplicate(
      await create(acmeKey.secret, ' GRACE@example.com'),
      'createLead',
      'A lead with email grace@example.com already exists in this client',
    );
    // The same for an account-wide caller naming the client.
    expectDuplicate(
      await create(admin, 'grace@example.com', acme.id),
      'createLead',
      'A lead with email grace@example.com already exists in this client',
    );
    expect((await create(admin, 'grace@example.com', globex.id)).errors).toBeUndefined();
  });

  it("refuses a duplicate among the account's own leads", async () => {
    await api.lead(admin, { email: 'linus@example.com' });
    expectDuplicate(
      await create(admin, 'linus@example.com'),
      'createLead',
      "A lead with email linus@example.com already exists among the account's own leads",
    );
    expect((await create(acmeKey.secret, 'linus@example.com')).errors).toBeUndefined();
  });

  it('applies the same scope when an email is changed', async () => {
    const mine = await api.lead(acmeKey.secret);
    const sibling = await api.lead(acmeKey.secret);
    await api.lead(admin, { email: 'elsewhere@example.com', clientId: globex.id });
    const moved = await api.call(acmeKey.secret, UPDATE, { id: mine.id, input: { email: 'elsewhere@example.com' } });
    expect(dataOf(moved).updateLead).toMatchObject({ id: mine.id, email: 'elsewhere@example.com' });
    const clash = await api.call(acmeKey.secret, UPDATE, { id: sibling.id, input: { email: 'Elsewhere@example.com' } });
    expectDuplicate(clash, 'updateLead', 'A lead with email elsewhere@example.com already exists in this client');
  });

  it('holds under concurrent creation in one client and at account level: exactly one lead each', async () => {
    const race = (as: string, clientId?: string) =>
      Promise.all(Array.from({ length: 6 }, () => create(as, 'concurrent@example.com', clientId)));
    const [inAcme, inAccount] = await Promise.all([race(acmeKey.secret), race(admin)]);
    for (const results of [inAcme, inAccount]) {
      expect(results.filter((res) => !res.errors)).toHaveLength(1);
      for (const res of results.filter((r) => r.errors))
        expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    }
    expect((await api.list(admin, { filter: { email: 'concurrent@' } })).totalCount).toBe(2);
  });
});
