import { dataOf, expectDenied } from '../support/graphql';
import { SeededAccount, SeededKey } from '../support/seed';
import { useTestServer } from '../support/harness';
import { CREATE, DELETE, GET, idsOf, Lead, LEADS_ALL, leadApi, LIST, UPDATE } from './lead.fixtures';

describe('leads: who may reach which', () => {
  const t = useTestServer();
  const api = leadApi(t);

  describe('permissions', () => {
    const OPERATIONS: Array<[string, string, string, (id: string) => Record<string, unknown>]> = [
      ['leads', 'LEADS_READ', LIST, () => ({})],
      ['lead', 'LEADS_READ', GET, (id) => ({ id })],
      ['createLead', 'LEADS_CREATE', CREATE, () => ({ input: { email: api.nextEmail(), name: 'Denied' } })],
      ['updateLead', 'LEADS_UPDATE', UPDATE, (id) => ({ id, input: { name: 'Denied' } })],
      ['deleteLead', 'LEADS_DELETE', DELETE, (id) => ({ id })],
    ];
    let target: Lead;

    beforeAll(async () => {
      target = await api.lead(t.account.primary.secret);
    });

    it.each(OPERATIONS)('%s is FORBIDDEN without %s, even holding every other permission', async (field, needed, query, vars) => {
      const others = ['KEYS_READ', 'KEYS_WRITE', 'CLIENTS_READ', 'CLIENTS_WRITE', 'AUDIT_READ', ...LEADS_ALL].filter((p) => p !== needed);
      const key = await t.seed.key(t.account.primary.secret, { permissions: others });
      const res = await api.call(key.secret, query, vars(target.id));
      expectDenied(res, 'FORBIDDEN', field);
      expect(res.errors?.[0].message).toContain(needed.toLowerCase().replace('_', ':'));
      expect(dataOf(await api.call(t.account.primary.secret, GET, { id: target.id })).lead).toMatchObject(target);
    });

    it.each(OPERATIONS)('%s is UNAUTHENTICATED without a credential and FORBIDDEN to the operator', async (field, _p, query, vars) => {
      expectDenied(await api.call(undefined, query, vars(target.id)), 'UNAUTHENTICATED', field);
      expectDenied(await api.call(t.operatorToken, query, vars(target.id)), 'FORBIDDEN', field);
    });

    it('a key with only the leads permissions can do all five', async () => {
      const key = await t.seed.key(t.account.primary.secret, { permissions: LEADS_ALL });
      const created = await api.lead(key.secret);
      expect(dataOf(await api.call(key.secret, GET, { id: created.id })).lead.id).toBe(created.id);
      dataOf(await api.call(key.secret, UPDATE, { id: created.id, input: { company: 'Initech' } }));
      expect(dataOf(await api.call(key.secret, DELETE, { id: created.id })).deleteLead).toBe(created.id);
    });
  });

  describe('scoping', () => {
    let owner: SeededAccount;
    let clientA: { id: string; name: string };
    let clientB: { id: string; name: string };
    let keyA: SeededKey;
    let leadA: Lead;
    let leadB: Lead;
    let accountLead: Lead;

    beforeAll(async () => {
      owner = await t.seed.account();
      clientA = await t.seed.client(owner.primary.secret, 'Client A');
      clientB = await t.seed.client(owner.primary.secret, 'Client B');
      keyA = await t.seed.key(owner.primary.secret, { clientId: clientA.id, permissions: LEADS_ALL });
      leadA = await api.lead(owner.primary.secret, { clientId: clientA.id });
      leadB = await api.lead(owner.primary.secret, { clientId: clientB.id });
      accountLead = await api.lead(owner.primary.secret);
    });

    it("an admin key reaches all of the account's leads", async () => {
      const page = await api.list(owner.primary.secret);
      expect(idsOf(page)).toEqual([accountLead.id, leadB.id, leadA.id]);
    });

    it("a client key lists, reads, and filters only its own client's leads", async () => {
      expect(idsOf(await api.list(keyA.secret))).toEqual([leadA.id]);
      expect((await api.list(keyA.secret, { filter: { clientId: clientB.id } })).totalCount).toBe(0);
      expect(dataOf(await api.call(keyA.secret, GET, { id: leadA.id })).lead.client).toEqual(clientA);
      for (const other of [leadB, accountLead]) {
        expect(dataOf(await api.call(keyA.secret, GET, { id: other.id })).lead).toBeNull();
      }
    });

    it("a client key gets NOT_FOUND for another client's or the account's leads, and changes nothing", async () => {
      for (const other of [leadB, accountLead]) {
        expectDenied(await api.call(keyA.secret, UPDATE, { id: other.id, input: { name: 'hijacked' } }), 'NOT_FOUND', 'updateLead');
        expectDenied(await api.call(keyA.secret, DELETE, { id: other.id }), 'NOT_FOUND', 'deleteLead');
        expect(dataOf(await api.call(owner.primary.secret, GET, { id: other.id })).lead).toMatchObject(other);
      }
    });

    it('a client key creates leads for its own client only', async () => {
      const made = dataOf(await api.call(keyA.secret, CREATE, { input: { email: 'mine@a.test', name: 'Mine' } })).createLead;
      expect(made.client).toEqual(clientA);
      const explicit = dataOf(await api.call(keyA.secret, CREATE, { input: { email: 'own@a.test', name: 'Own', clientId: clientA.id } }));
      expect(explicit.createLead.client).toEqual(clientA);
      const res = await api.call(keyA.secret, CREATE, { input: { email: 'theirs@b.test', name: 'Theirs', clientId: clientB.id } });
      expectDenied(res, 'NOT_FOUND', 'createLead');
    });

    it("another account's leads and clients are NOT_FOUND, never revealed", async () => {
      const stranger = await t.seed.account();
      expect(dataOf(await api.call(stranger.primary.secret, GET, { id: leadA.id })).lead).toBeNull();
      expect((await api.list(stranger.primary.secret)).totalCount).toBe(0);
      expectDenied(await api.call(stranger.primary.secret, UPDATE, { id: leadA.id, input: { name: 'x' } }), 'NOT_FOUND', 'updateLead');
      expectDenied(await api.call(stranger.primary.secret, DELETE, { id: leadA.id }), 'NOT_FOUND', 'deleteLead');
      const res = await api.call(stranger.primary.secret, CREATE, { input: { email: 'x@y.test', name: 'X', clientId: clientA.id } });
      expectDenied(res, 'NOT_FOUND', 'createLead');
      expect((await api.list(stranger.primary.secret, { filter: { clientId: clientA.id } })).totalCount).toBe(0);
      expect(dataOf(await api.call(owner.primary.secret, GET, { id: leadA.id })).lead).toMatchObject(leadA);
    });
  });
});
