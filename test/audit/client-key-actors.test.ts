import { dataOf } from '../support/graphql';
import { SeededKey } from '../support/seed';
import { useTestServer } from '../support/harness';
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
  const t = useTestServer({ authJwtSecret: TEST_JWT_SECRET });
  let admin: SeededKey;
  let user: string;
  let mine: { id: string };
  let clientKey: SeededKey;
  let madeByUser: SeededKey;
  let madeByClientKey: SeededKey;
  let revokedByAdmin: SeededKey;
  let revokedByClientKey: SeededKey;

  beforeAll(async () => {
    admin = await t.seed.key(t.account.primary.secret, {
      name: 'admin',
      permissions: ['KEYS_READ', 'KEYS_WRITE', 'AUDIT_READ', 'LEADS_READ'],
    });
    user = await userToken({ sub: 'alice-the-dev', account_id: Number(t.account.id), roles: ['developer'] });
    mine = await t.seed.client(t.account.primary.secret, 'Mine');
    clientKey = await t.seed.key(admin.secret, {
      clientId: mine.id,
      name: 'manager',
      permissions: ['KEYS_READ', 'KEYS_WRITE', 'AUDIT_READ', 'LEADS_READ'],
    });
    madeByUser = await t.seed.key(user, { clientId: mine.id, name: 'by user' });
    madeByClientKey = await t.seed.key(clientKey.secret, { name: 'by client key' });
    revokedByAdmin = await t.seed.key(clientKey.secret, { name: 'revoked by admin' });
    await t.data(admin.secret, REVOKE, { id: revokedByAdmin.id });
    revokedByClientKey = await t.seed.key(admin.secret, { clientId: mine.id, name: 'revoked by client key' });
    await t.data(clientKey.secret, REVOKE, { id: revokedByClientKey.id });
  });

  async function events(as: string, filter: Record<string, unknown> = {}): Promise<Event[]> {
    const res = await t.call(as, EVENTS, { filter });
    return dataOf(res).auditEvents.edges.map((e: { node: Event }) => e.node);
  }
  const accountActors = () => [t.account.primary.prefix, admin.prefix, 'alice'];

  it("sees its own client's keys by prefix, and the admin keys and users as 'account'", async () => {
    const res = await t.call(clientKey.secret, EVENTS, { filter: {} });
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
    const res = await t.call(clientKey.secret, REVOKED);
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
    ]).toEqual([t.account.primary.prefix, 'user:alice-the-dev', admin.prefix, clientKey.prefix]);
    const revoked = (await t.data(admin.secret, REVOKED)).revokedKeys.edges.map((e: any) => e.node);
    expect(revoked).toEqual(
      expect.arrayContaining([
        { id: revokedByClientKey.id, revokedBy: clientKey.prefix },
        { id: revokedByAdmin.id, revokedBy: admin.prefix },
      ]),
    );
  });
});
