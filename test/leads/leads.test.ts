import { dataOf, expectDenied } from '../support/graphql';
import { SeededAccount } from '../support/seed';
import { useTestServer } from '../support/harness';
import { CREATE, DELETE, emailsOf, GET, leadApi, LIST, UPDATE } from './lead.fixtures';

describe('leads: CRUD, filters, pagination, validation and unique emails', () => {
  const t = useTestServer();
  const api = leadApi(t);

  describe('CRUD', () => {
    it('creates a lead with its email trimmed and lower-cased, and reads it back', async () => {
      const created = dataOf(
        await api.call(t.account.primary.secret, CREATE, {
          input: { email: '  Ada.Lovelace@Example.COM ', name: '  Ada Lovelace ', company: ' Analytical Engines ' },
        }),
      ).createLead;
      expect(created).toMatchObject({
        email: 'ada.lovelace@example.com',
        name: 'Ada Lovelace',
        company: 'Analytical Engines',
        client: null,
      });
      expect(Date.parse(created.createdAt)).not.toBeNaN();
      expect(dataOf(await api.call(t.account.primary.secret, GET, { id: created.id })).lead).toEqual(created);
    });

    it('updates only the fields given, clears company with null, and deletes', async () => {
      const created = await api.lead(t.account.primary.secret, { company: 'Acme' });
      const renamed = dataOf(
        await api.call(t.account.primary.secret, UPDATE, { id: created.id, input: { name: 'Grace Hopper' } }),
      ).updateLead;
      expect(renamed).toMatchObject({ email: created.email, name: 'Grace Hopper', company: 'Acme' });
      expect(Date.parse(renamed.updatedAt)).toBeGreaterThanOrEqual(Date.parse(renamed.createdAt));

      const moved = dataOf(
        await api.call(t.account.primary.secret, UPDATE, { id: created.id, input: { email: 'GRACE@navy.mil', company: null } }),
      ).updateLead;
      expect(moved).toMatchObject({ email: 'grace@navy.mil', name: 'Grace Hopper', company: null });

      expect(dataOf(await api.call(t.account.primary.secret, DELETE, { id: created.id })).deleteLead).toBe(created.id);
      expect(dataOf(await api.call(t.account.primary.secret, GET, { id: created.id })).lead).toBeNull();
      expectDenied(await api.call(t.account.primary.secret, DELETE, { id: created.id }), 'NOT_FOUND', 'deleteLead');
      expectDenied(await api.call(t.account.primary.secret, UPDATE, { id: created.id, input: { name: 'x' } }), 'NOT_FOUND', 'updateLead');
    });

    it("belongs to one of the account's clients when given clientId", async () => {
      const client = await t.seed.client(t.account.primary.secret, 'Northwind');
      const created = dataOf(
        await api.call(t.account.primary.secret, CREATE, { input: { email: 'buyer@northwind.test', name: 'Buyer', clientId: client.id } }),
      ).createLead;
      expect(created.client).toEqual({ id: client.id, name: 'Northwind' });
    });

    it('writes no audit events: leads are data, the audit log is for keys, clients and accounts', async () => {
      const count = async () => dataOf(await api.call(t.account.primary.secret, '{ auditEvents { totalCount } }')).auditEvents.totalCount;
      const before = await count();
      const created = await api.lead(t.account.primary.secret);
      await api.call(t.account.primary.secret, UPDATE, { id: created.id, input: { name: 'changed' } });
      await api.call(t.account.primary.secret, DELETE, { id: created.id });
      expect(await count()).toBe(before);
    });

    it('answers null and NOT_FOUND for ids that are not ids', async () => {
      expect(dataOf(await api.call(t.account.primary.secret, GET, { id: 'abc' })).lead).toBeNull();
      expectDenied(await api.call(t.account.primary.secret, DELETE, { id: '-1' }), 'NOT_FOUND', 'deleteLead');
    });
  });

  describe('filters and pagination', () => {
    let owner: SeededAccount;

    beforeAll(async () => {
      owner = await t.seed.account();
      for (const [email, name] of [
        ['alice@acme.test', 'Alice Smith'],
        ['bob@acme.test', 'Bob 100% Real'],
        ['carol_x@globex.test', 'Carol'],
        ['caroly@globex.test', 'Caroline'],
        ['dave@initech.test', 'dave_b'],
      ]) {
        await api.lead(owner.primary.secret, { email, name });
      }
    });

    it.each([
      [{ email: 'ACME' }, ['bob@acme.test', 'alice@acme.test']],
      [{ email: 'carol_' }, ['carol_x@globex.test']],
      [{ name: 'smith' }, ['alice@acme.test']],
      [{ name: '100%' }, ['bob@acme.test']],
      [{ name: '_' }, ['dave@initech.test']],
      [{ name: 'CAROL', email: 'y@' }, ['caroly@globex.test']],
      [{ email: 'nobody' }, []],
    ])('filter %j matches partially, case-insensitively, with %% and _ literal', async (filter, expected) => {
      const page = await api.list(owner.primary.secret, { filter });
      expect(emailsOf(page)).toEqual(expected);
      expect(page.totalCount).toBe(expected.length);
    });

    it('filters by client', async () => {
      const client = await t.seed.client(owner.primary.secret);
      const theirs = await api.lead(owner.primary.secret, { clientId: client.id });
      expect(emailsOf(await api.list(owner.primary.secret, { filter: { clientId: client.id } }))).toEqual([theirs.email]);
      expect((await api.list(owner.primary.secret, { filter: { clientId: 'nope' } })).totalCount).toBe(0);
      await api.call(owner.primary.secret, DELETE, { id: theirs.id });
    });

    it('pages newest first with cursors, every lead exactly once', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page = await api.list(owner.primary.secret, { first: 2, after });
        expect(page.totalCount).toBe(5);
        seen.push(...emailsOf(page));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        pages++;
      } while (after);
      expect(pages).toBe(3);
      expect(seen).toEqual(['dave@initech.test', 'caroly@globex.test', 'carol_x@globex.test', 'bob@acme.test', 'alice@acme.test']);
    });

    it.each([
      [{ first: 101 }, 'first'],
      [{ first: -1 }, 'first'],
      [{ after: 'not-a-cursor' }, 'after'],
    ])('refuses page arguments %j', async (variables, field) => {
      const res = await api.call(owner.primary.secret, LIST, variables);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    });

    it('resolves the clients of a page with one query, whatever its size', async () => {
      const statementsFor = async (as: string) => {
        t.sql.reset();
        dataOf(await api.call(as, '{ leads(first: 50) { totalCount edges { node { id client { id name } } } } }'));
        return t.sql.statements.length;
      };
      const small = await t.seed.account();
      const large = await t.seed.account();
      await api.lead(small.primary.secret, { clientId: (await t.seed.client(small.primary.secret)).id });
      for (let i = 0; i < 6; i++) {
        await api.lead(large.primary.secret, { clientId: (await t.seed.client(large.primary.secret)).id });
      }
      expect(await statementsFor(large.primary.secret)).toBe(await statementsFor(small.primary.secret));
    });
  });

  describe('validation', () => {
    it.each([
      ['an address without @', { email: 'not-an-email' }, 'email'],
      ['an empty email', { email: '   ' }, 'email'],
      ['an email over 254 characters', { email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}.com` }, 'email'],
      ['a display-name address', { email: 'Ada <ada@example.com>' }, 'email'],
      ['an empty name', { name: '  ' }, 'name'],
      ['a name over 100 characters', { name: 'x'.repeat(101) }, 'name'],
      ['a control character in the name', { name: 'bad\u0000name' }, 'name'],
      ['a company over 200 characters', { company: 'c'.repeat(201) }, 'company'],
      ['a control character in the company', { company: 'bad\u0007co' }, 'company'],
    ])('createLead refuses %s with BAD_USER_INPUT naming the field', async (_case, input, field) => {
      const res = await api.call(t.account.primary.secret, CREATE, { input: { email: 'valid@example.com', name: 'Valid', ...input } });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(dataOf(await api.call(t.account.primary.secret, LIST, { filter: { email: 'valid@example.com' } })).leads.totalCount).toBe(0);
    });

    it.each([
      [{ email: 'nope' }, 'email'],
      [{ email: null }, 'email'],
      [{ name: null }, 'name'],
      [{ name: '' }, 'name'],
    ])('updateLead refuses %j', async (input, field) => {
      const target = await api.lead(t.account.primary.secret);
      const res = await api.call(t.account.primary.secret, UPDATE, { id: target.id, input });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(dataOf(await api.call(t.account.primary.secret, GET, { id: target.id })).lead).toMatchObject(target);
    });
  });

  describe('duplicate emails', () => {
    it('are refused within an account, whatever their case, on create and on update', async () => {
      const first = await api.lead(t.account.primary.secret, { email: 'dup@example.com' });
      const again = await api.call(t.account.primary.secret, CREATE, { input: { email: ' DUP@Example.com', name: 'Again' } });
      expect(again.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
      expect(again.errors?.[0].path).toEqual(['createLead']);

      const other = await api.lead(t.account.primary.secret);
      const res = await api.call(t.account.primary.secret, UPDATE, { id: other.id, input: { email: 'Dup@example.com' } });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
      expect(dataOf(await api.call(t.account.primary.secret, GET, { id: other.id })).lead.email).toBe(other.email);
      // Setting a lead's own email again is no conflict.
      expect(
        dataOf(await api.call(t.account.primary.secret, UPDATE, { id: first.id, input: { email: 'DUP@example.com' } })).updateLead,
      ).toMatchObject({ id: first.id, email: 'dup@example.com' });
    });

    it('are refused within one client of an account', async () => {
      const client = await t.seed.client(t.account.primary.secret);
      await api.lead(t.account.primary.secret, { email: 'shared@example.com', clientId: client.id });
      const res = await api.call(t.account.primary.secret, CREATE, {
        input: { email: 'shared@example.com', name: 'Other', clientId: client.id },
      });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    });

    it('are allowed in different accounts', async () => {
      const other = await t.seed.account();
      await api.lead(t.account.primary.secret, { email: 'everywhere@example.com' });
      expect((await api.lead(other.primary.secret, { email: 'everywhere@example.com' })).email).toBe('everywhere@example.com');
    });

    it('are refused under concurrent creation: exactly one lead is made', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          api.call(t.account.primary.secret, CREATE, { input: { email: 'race@example.com', name: `Racer ${i}` } }),
        ),
      );
      expect(results.filter((res) => !res.errors)).toHaveLength(1);
      for (const res of results.filter((r) => r.errors)) {
        expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
      }
      expect((await api.list(t.account.primary.secret, { filter: { email: 'race@' } })).totalCount).toBe(1);
    });
  });
});
