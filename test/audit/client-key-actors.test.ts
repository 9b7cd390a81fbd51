import { dataOf, graphql } from '../support/graphql';
import { Seed, SeededAccount, SeededKey } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';
import { TEST_JWT_SECRET, userToken } from '../support/user-tokens';

/**
 * A client key reads its client's audit trail and revoked keys, but who acted
 * is the account's business unless it was one of the client's own keys: those
 * it sees by prefix, every other actor (admin keys, users) as "account".
 */

const EVENTS = `query($filter: AuditEventFilter) {
  auditEvents(filter: $filter, first: 100) { totalCount edges { node { action targetId actor } } }
}`;
const REVOKED = '{ revokedKeys(first: 100) { edges { node { id revokedBy } } } }';
const REVOKE = 'mutation($id: ID!) { revokeApiKey(id: $id, reason: "rotated") { id } }';

interface Event {
  action: string;
  targetId: string;
  actor: string;
}

describe("a client key reads other actors only as 'account'", () => {
  let server: TestServer;
  let seed: Seed;
  let account: SeededAccount;
  let admin: SeededKey;
  let user: string;
  let mine: { id: string };
  let clientKey: SeededKey;
  let madeByUser: SeededKey;
  let madeByClientKey: SeededKey;
  let revokedByAdmin: SeededKey;
  let revokedByClientKey: SeededKey;

  beforeAll(async () => {
    server = await startTestServer({ authJwtSecret: TEST_JWT_SECRET });
    seed = new Seed(server);
    account = await seed.account();
    admin = await seed.key(account.primary.secret, { name: 'admin', permissions: ['KEYS_READ', 'KEYS_WRITE', 'AUDIT_READ', 'LEADS_READ'] });
    user = await userToken({ sub: 'alice-the-dev', account_id: Number(account.id), roles: ['developer'] });
    mine = await seed.client(account.primary.secret, 'Mine');
    clientKey = await seed.key(admin.secret, {
      clientId: mine.id,
      name: 'manager',
      permissions: ['KEYS_READ', 'KEYS_WRITE', 'AUDIT_READ', 'LEADS_READ'],
    });
    madeByUser = await seed.key(user, { clientId: mine.id, name: 'by user' });
    madeByClientKey = await seed.key(clientKey.secret, { name: 'by client key' });
    revokedByAdmin = await seed.key(clientKey.secret, { name: 'revoked by admin' });
    dataOf(await graphql(server.url, { as: admin.secret, query: REVOKE, variables: { id: revokedByAdmin.id } }));
    revokedByClientKey = await seed.key(admin.secret, { clientId: mine.id, name: 'revoked by client key' });
    dataOf(await graphql(server.url, { as: clientKey.secret, query: REVOKE, variables: { id: revokedByClientKey.id } }));
  });
  afterAll(() => server.stop());

  async function events(as: string, filter: Record<string, unknown> = {}): Promise<Event[]> {
    const res = await graphql(server.url, { as, query: EVENTS, variables: { filter } });
    return dataOf(res).auditEvents.edges.map((e: { node: Event }) => e.node);
  }
  const accountActors = () => [account.primary.prefix, admin.prefix, 'alice'];

  it("sees its own client's keys by prefix, and the admin keys and users as 'account'", async () => {
    const res = await graphql(server.url, { as: clientKey.secret, query: EVENTS, variables: { filter: {} } });
    for (const actor of accountActors()) expect(JSON.stringify(res)).not.toContain(actor);
    const seen: Event[] = dataOf(res).auditEvents.edges.map((e: { node: Event }) => e.node);
    expect(seen.map((e) => [e.action, e.targetId, e.actor])).toEqual([
      ['API_KEY_REVOKED', revokedByClientKey.id, clientKey.prefix],
      ['API_KEY_CREATED', revokedByClientKey.id, 'account'],
      ['API_KEY_REVOKED', revokedByAdmin.id, 'account'],
      ['API_KEY_CREATED', revokedByAdmin.id, clientKey.prefix],
      ['API_KEY_CREATED', madeByClientKey.id, clientKey.prefix],
      ['API_KEY_CREATED', madeByUser.id, 'account'],
      ['API_KEY_CREATED', clientKey.id, 'account'],
      ['CLIENT_CREATED', mine.id, 'account'],
    ]);
  });

  it('cannot find the account’s actors by filtering on them, only on what it sees', async () => {
    for (const actor of [...accountActors(), 'sk_', 'user:', 'primary']) {
      expect({ actor, events: await events(clientKey.secret, { actor }) }).toEqual({ actor, events: [] });
    }
    expect((await events(clientKey.secret, { actor: 'account' })).map((e) => e.targetId)).toEqual([
      revokedByClientKey.id,
      revokedByAdmin.id,
      madeByUser.id,
      clientKey.id,
      mine.id,
    ]);
    expect((await events(clientKey.secret, { actor: clientKey.prefix })).map((e) => e.targetId)).toEqual([
      revokedByClientKey.id,
      revokedByAdmin.id,
      madeByClientKey.id,
    ]);
  });

  it('reads who revoked its client’s keys the same way', async () => {
    const res = await graphql(server.url, { as: clientKey.secret, query: REVOKED });
    for (const actor of accountActors()) expect(JSON.stringify(res)).not.toContain(actor);
    expect(dataOf(res).revokedKeys.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { id: revokedByClientKey.id, revokedBy: clientKey.prefix },
      { id: revokedByAdmin.id, revokedBy: 'account' },
    ]);
  });

  it('while an account-wide caller reads every actor as it is', async () => {
    const seen = await events(admin.secret);
    const actorOf = (targetId: string, action: string) => seen.find((e) => e.targetId === targetId && e.action === action)?.actor;
    expect([
      actorOf(mine.id, 'CLIENT_CREATED'),
      actorOf(madeByUser.id, 'API_KEY_CREATED'),
      actorOf(revokedByAdmin.id, 'API_KEY_REVOKED'),
      actorOf(madeByClientKey.id, 'API_KEY_CREATED'),
    ]).toEqual([account.primary.prefix, 'user:alice-the-dev', admin.prefix, clientKey.prefix]);
    const revoked = dataOf(await graphql(server.url, { as: admin.secret, query: REVOKED })).revokedKeys.edges.map((e: any) => e.node);
    expect(revoked).toEqual(
      expect.arrayContaining([
        { id: revokedByClientKey.id, revokedBy: clientKey.prefix },
        { id: revokedByAdmin.id, revokedBy: admin.prefix },
      ]),
    );
  });
});
