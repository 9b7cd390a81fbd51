import { codeOf, dataOf, graphql, GraphQLResponse } from '../support/graphql';
import { KEY_FIELDS, Seed, SeededAccount, SeededKey } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';

const RENAME = `mutation($id: ID!, $name: String!) { renameApiKey(id: $id, name: $name) { ${KEY_FIELDS} } }`;
const UPDATE_PERMISSIONS = `mutation($id: ID!, $permissions: [Permission!]!) {
  updateApiKeyPermissions(id: $id, permissions: $permissions) { ${KEY_FIELDS} }
}`;
const RESET = `mutation($id: ID!, $grace: Int) {
  resetApiKey(id: $id, gracePeriodSeconds: $grace) { secret apiKey { ${KEY_FIELDS} } }
}`;
const DEACTIVATE = `mutation($id: ID!) { deactivateApiKey(id: $id) { ${KEY_FIELDS} } }`;
const ACTIVATE = `mutation($id: ID!) { activateApiKey(id: $id) { ${KEY_FIELDS} } }`;
const REVOKE = `mutation($id: ID!, $reason: String) {
  revokeApiKey(id: $id, reason: $reason) {
    id name prefix kind client { id name } permissions createdAt lastUsedAt revokedAt revokedBy reason
  }
}`;
const DELETE = 'mutation($id: ID!) { deleteApiKey(id: $id) }';
const GET = `query($id: ID!) { apiKey(id: $id) { ${KEY_FIELDS} } }`;
const AUDIT = `query($filter: AuditEventFilter) {
  auditEvents(filter: $filter, first: 100) {
    totalCount
    edges { node { action actor targetType targetId targetPrefix targetName details } }
  }
}`;


interface AuditNode {
  action: string;
  actor: string;
  targetType: string;
  targetId: string;
  targetPrefix: string | null;
  targetName: string | null;
  details: Record<string, unknown>;
}

describe('the API key lifecycle', () => {
  let server: TestServer;
  let seed: Seed;
  let account: SeededAccount;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer();
    seed = new Seed(server);
    account = await seed.account();
    admin = account.primary.secret;
  });
  afterAll(() => server.stop());

  function call(as: string, query: string, variables: Record<string, unknown>): Promise<GraphQLResponse> {
    return graphql(server.url, { as, query, variables });
  }

  /** The key's audit trail, newest first. targetType too: ids of keys, clients and accounts overlap. */
  async function trail(id: string, as = admin): Promise<AuditNode[]> {
    const res = await call(as, AUDIT, { filter: { targetId: id, targetType: 'API_KEY' } });
    const connection = dataOf(res).auditEvents;
    expect(connection.totalCount).toBe(connection.edges.length);
    return connection.edges.map((edge: { node: AuditNode }) => edge.node);
  }

  const actions = async (id: string) => (await trail(id)).map((event) => event.action);

  /** A request with the key must succeed and be made as that key. */
  async function expectWorks(secret: string, prefix: string): Promise<void> {
    const res = await graphql(server.url, { as: secret, query: '{ viewer { principal prefix } }' });
    expect(res.status).toBe(200);
    expect(dataOf(res).viewer.prefix).toBe(prefix);
  }

  /** A request with the key must get HTTP 401 at once, naming the prefix it presented. */
  async function expectRefused(secret: string, prefix: string, wording?: RegExp): Promise<string> {
    const res = await graphql(server.url, { as: secret, query: '{ viewer { principal } }' });
    expect(res.status).toBe(401);
    expect(res.data).toBeUndefined();
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
    const message = res.errors?.[0].message ?? '';
    expect(message).toContain(prefix);
    if (wording) expect(message).toMatch(wording);
    return message;
  }

  async function listedIds(query: 'apiKeys' | 'revokedKeys'): Promise<string[]> {
    const res = await call(admin, `{ ${query}(first: 100) { edges { node { id } } } }`, {});
    return dataOf(res)[query].edges.map((edge: { node: { id: string } }) => edge.node.id);
  }

  describe('renameApiKey', () => {
    it('renames in place: same value, same prefix, one audit event', async () => {
      const key = await seed.key(admin, { name: 'Zapier', permissions: ['LEADS_READ'] });
      const res = await call(admin, RENAME, { id: key.id, name: '  Zapier (prod)  ' });
      expect(dataOf(res).renameApiKey).toMatchObject({
        id: key.id,
        name: 'Zapier (prod)',
        prefix: key.prefix,
        permissions: ['LEADS_READ'],
        status: 'ACTIVE',
      });
      await expectWorks(key.secret, key.prefix);
      expect(dataOf(await call(admin, GET, { id: key.id })).apiKey.name).toBe('Zapier (prod)');

      const events = await trail(key.id);
      expect(events.map((e) => e.action)).toEqual(['API_KEY_RENAMED', 'API_KEY_CREATED']);
      expect(events[0]).toMatchObject({
        actor: account.primary.prefix,
        targetType: 'API_KEY',
        targetId: key.id,
        targetPrefix: key.prefix,
        targetName: 'Zapier (prod)',
        details: { from: 'Zapier', to: 'Zapier (prod)' },
      });
    });

    it('writes no audit event when the name does not change', async () => {
      const key = await seed.key(admin, { name: 'Same' });
      const res = await call(admin, RENAME, { id: key.id, name: ' Same ' });
      expect(dataOf(res).renameApiKey.name).toBe('Same');
      expect(await actions(key.id)).toEqual(['API_KEY_CREATED']);
    });

    it.each([
      ['an empty name', '   '],
      ['a name over 100 characters', 'x'.repeat(101)],
      ['a name with a control character', 'a\u0000b'],
    ])('refuses %s with BAD_USER_INPUT and changes nothing', async (_case, name) => {
      const key = await seed.key(admin, { name: 'Untouched' });
      const res = await call(admin, RENAME, { id: key.id, name });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
      expect(res.errors?.[0].path).toEqual(['renameApiKey']);
      expect(dataOf(await call(admin, GET, { id: key.id })).apiKey.name).toBe('Untouched');
      expect(await actions(key.id)).toEqual(['API_KEY_CREATED']);
    });
  });

  describe('updateApiKeyPermissions', () => {
    it('replaces the permissions in place: same value, one audit event', async () => {
      const key = await seed.key(admin, { permissions: ['LEADS_READ'] });
      const res = await call(admin, UPDATE_PERMISSIONS, { id: key.id, permissions: ['LEADS_CREATE', 'KEYS_READ'] });
      expect(dataOf(res).updateApiKeyPermissions).toMatchObject({
        id: key.id,
        prefix: key.prefix,
        permissions: ['KEYS_READ', 'LEADS_CREATE'],
      });
      const viewer = await graphql(server.url, { as: key.secret, query: '{ viewer { prefix permissions } }' });
      expect(dataOf(viewer).viewer).toEqual({ prefix: key.prefix, permissions: ['KEYS_READ', 'LEADS_CREATE'] });

      const events = await trail(key.id);
      expect(events.map((e) => e.action)).toEqual(['API_KEY_PERMISSIONS_UPDATED', 'API_KEY_CREATED']);
      expect(events[0]).toMatchObject({
        actor: account.primary.prefix,
        targetPrefix: key.prefix,
        details: { from: ['leads:read'], to: ['keys:read', 'leads:create'] },
      });

      // The same set in another order changes nothing and is not audited.
      const again = await call(admin, UPDATE_PERMISSIONS, { id: key.id, permissions: ['LEADS_CREATE', 'KEYS_READ', 'KEYS_READ'] });
      expect(dataOf(again).updateApiKeyPermissions.permissions).toEqual(['KEYS_READ', 'LEADS_CREATE']);
      expect(await actions(key.id)).toHaveLength(2);
    });

    it('refuses to grant what the caller does not hold, and changes nothing', async () => {
      const manager = await seed.key(admin, { permissions: ['KEYS_READ', 'KEYS_WRITE', 'LEADS_READ'] });
      const key = await seed.key(admin, { permissions: ['LEADS_READ'] });
      const res = await call(manager.secret, UPDATE_PERMISSIONS, { id: key.id, permissions: ['LEADS_READ', 'LEADS_DELETE'] });
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect(res.errors?.[0].path).toEqual(['updateApiKeyPermissions']);
      expect(dataOf(await call(admin, GET, { id: key.id })).apiKey.permissions).toEqual(['LEADS_READ']);
      expect(await actions(key.id)).toEqual(['API_KEY_CREATED']);
    });
  });

  describe('resetApiKey', () => {
    it('keeps the record and issues a new value and prefix; the old value fails at once, naming its prefix', async () => {
      const key = await seed.key(admin, { name: 'Clay', permissions: ['KEYS_READ', 'LEADS_READ'] });
      const before = dataOf(await call(admin, GET, { id: key.id })).apiKey;
      const res = await call(admin, RESET, { id: key.id });
      const { secret, apiKey } = dataOf(res).resetApiKey;
      expect(apiKey).toMatchObject({
        id: key.id,
        name: 'Clay',
        permissions: ['KEYS_READ', 'LEADS_READ'],
        createdAt: before.createdAt,
        expiresAt: null,
        status: 'ACTIVE',
      });
      expect(apiKey.prefix).toMatch(/^sk_[0-9A-Za-z]{8}$/);
      expect(apiKey.prefix).not.toBe(key.prefix);
      expect(secret.startsWith(`${apiKey.prefix}_`)).toBe(true);
      expect(secret).not.toBe(key.secret);

      await expectWorks(secret, apiKey.prefix);
      const message = await expectRefused(key.secret, key.prefix, /reset/);
      expect(message).not.toContain(apiKey.prefix);

      const events = await trail(key.id);
      expect(events.map((e) => e.action)).toEqual(['API_KEY_RESET', 'API_KEY_CREATED']);
      expect(events[0]).toMatchObject({
        actor: account.primary.prefix,
        targetPrefix: apiKey.prefix,
        details: { previousPrefix: key.prefix, gracePeriodSeconds: 0 },
      });
      expect(await listedIds('apiKeys')).toContain(key.id);
    });

    it('keeps the old value working through the grace period, then refuses it', async () => {
      const key = await seed.key(admin, { permissions: ['LEADS_READ'] });
      const res = await call(admin, RESET, { id: key.id, grace: 3 });
      const resetAt = server.clock.now();
      const { secret, apiKey } = dataOf(res).resetApiKey;

      // Old and new values both work during the grace period, as the same key.
      await expectWorks(key.secret, apiKey.prefix);
      await expectWorks(secret, apiKey.prefix);
      const [event] = await trail(key.id);
      expect(event.details).toMatchObject({ previousPrefix: key.prefix, gracePeriodSeconds: 3 });
      const validUntil = Date.parse(String(event.details.previousValueValidUntil));
      expect(validUntil).toBeGreaterThan(resetAt);
      expect(validUntil).toBeLessThanOrEqual(resetAt + 3000);

      server.clock.advance(validUntil - server.clock.now() + 300);
      await expectRefused(key.secret, key.prefix, /reset/);
      await expectWorks(secret, apiKey.prefix);
    });

    it('never lets the grace period outlive the key', async () => {
      const expiresAt = new Date(Date.now() + 60 * 60 * 1000);
      const key = await seed.key(admin, { expiresAt: expiresAt.toISOString() });
      const res = await call(admin, RESET, { id: key.id, grace: 7 * 24 * 60 * 60 });
      const { secret, apiKey } = dataOf(res).resetApiKey;
      // The new value keeps the key's expiry.
      expect(Date.parse(apiKey.expiresAt)).toBe(expiresAt.getTime());
      await expectWorks(key.secret, apiKey.prefix);
      await expectWorks(secret, apiKey.prefix);
      const [event] = await trail(key.id);
      expect(event.action).toBe('API_KEY_RESET');
      expect(Date.parse(String(event.details.previousValueValidUntil))).toBe(expiresAt.getTime());
    });

    it.each([
      ['over 7 days', 7 * 24 * 60 * 60 + 1],
      ['negative', -1],
    ])('refuses a grace period %s with BAD_USER_INPUT and leaves the key as it was', async (_case, grace) => {
      const key = await seed.key(admin);
      const res = await call(admin, RESET, { id: key.id, grace });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'gracePeriodSeconds' });
      expect(res.errors?.[0].path).toEqual(['resetApiKey']);
      await expectWorks(key.secret, key.prefix);
      expect(await actions(key.id)).toEqual(['API_KEY_CREATED']);
    });

    it('accepts a grace period of exactly 7 days', async () => {
      const key = await seed.key(admin);
      const res = await call(admin, RESET, { id: key.id, grace: 7 * 24 * 60 * 60 });
      const { apiKey } = dataOf(res).resetApiKey;
      await expectWorks(key.secret, apiKey.prefix);
    });

    it('refuses a caller that would gain permissions from the new value', async () => {
      const narrow = await seed.key(admin, { permissions: ['KEYS_READ', 'KEYS_WRITE'] });
      const wide = await seed.key(admin, { permissions: ['KEYS_READ', 'LEADS_DELETE'] });
      const res = await call(narrow.secret, RESET, { id: wide.id });
      expect(codeOf(res)).toBe('FORBIDDEN');
      await expectWorks(wide.secret, wide.prefix);
      expect(await actions(wide.id)).toEqual(['API_KEY_CREATED']);
    });
  });

  describe('deactivateApiKey and activateApiKey', () => {
    it('refuses an inactive key with 401 naming its prefix, and takes it back after activation', async () => {
      const key = await seed.key(admin, { permissions: ['LEADS_READ'] });
      const off = await call(admin, DEACTIVATE, { id: key.id });
      expect(dataOf(off).deactivateApiKey).toMatchObject({ id: key.id, status: 'INACTIVE', prefix: key.prefix });
      await expectRefused(key.secret, key.prefix, /inactive/);
      expect(await listedIds('apiKeys')).toContain(key.id);

      // Deactivating again changes nothing and is not audited.
      expect(dataOf(await call(admin, DEACTIVATE, { id: key.id })).deactivateApiKey.status).toBe('INACTIVE');

      const on = await call(admin, ACTIVATE, { id: key.id });
      expect(dataOf(on).activateApiKey).toMatchObject({ id: key.id, status: 'ACTIVE', prefix: key.prefix });
      await expectWorks(key.secret, key.prefix);
      expect(dataOf(await call(admin, ACTIVATE, { id: key.id })).activateApiKey.status).toBe('ACTIVE');

      const events = await trail(key.id);
      expect(events.map((e) => e.action)).toEqual(['API_KEY_ACTIVATED', 'API_KEY_DEACTIVATED', 'API_KEY_CREATED']);
      for (const event of events.slice(0, 2)) {
        expect(event).toMatchObject({ actor: account.primary.prefix, targetPrefix: key.prefix, targetId: key.id });
      }
    });

    it('keeps an old value in its grace period out while the key is inactive', async () => {
      const key = await seed.key(admin);
      const { secret, apiKey } = dataOf(await call(admin, RESET, { id: key.id, grace: 3600 })).resetApiKey;
      await call(admin, DEACTIVATE, { id: key.id });
      await expectRefused(key.secret, key.prefix, /inactive/);
      await expectRefused(secret, apiKey.prefix, /inactive/);
    });
  });

  describe('revokeApiKey', () => {
    let actor: SeededKey;

    beforeAll(async () => {
      actor = await seed.key(admin, {
        name: 'ops',
        permissions: ['KEYS_READ', 'KEYS_WRITE', 'LEADS_READ', 'LEADS_CREATE', 'AUDIT_READ'],
      });
    });

    it('moves the key to revokedKeys with its history, recording who revoked it and why', async () => {
      const client = await seed.client(admin, 'Acme');
      const key = await seed.key(admin, { name: 'acme-sync', clientId: client.id, permissions: ['LEADS_READ', 'LEADS_CREATE'] });
      const before = dataOf(await call(admin, GET, { id: key.id })).apiKey;

      const startedAt = Date.now();
      const res = await call(actor.secret, REVOKE, { id: key.id, reason: '  leaked in a gist  ' });
      const revoked = dataOf(res).revokeApiKey;
      expect(revoked).toMatchObject({
        id: key.id,
        name: 'acme-sync',
        prefix: key.prefix,
        kind: 'CLIENT',
        client: { id: client.id, name: 'Acme' },
        permissions: ['LEADS_READ', 'LEADS_CREATE'],
        createdAt: before.createdAt,
        lastUsedAt: null,
        revokedBy: actor.prefix,
        reason: 'leaked in a gist',
      });
      expect(Date.parse(revoked.revokedAt)).toBeGreaterThanOrEqual(startedAt - 1000);
      expect(Date.parse(revoked.revokedAt)).toBeLessThanOrEqual(Date.now() + 1000);

      expect(await listedIds('apiKeys')).not.toContain(key.id);
      expect(dataOf(await call(admin, GET, { id: key.id })).apiKey).toBeNull();
      const listed = dataOf(
        await call(admin, `{ revokedKeys(first: 100) { edges { node { id prefix revokedBy reason } } } }`, {}),
      ).revokedKeys.edges.map((edge: { node: unknown }) => edge.node);
      expect(listed).toContainEqual({ id: key.id, prefix: key.prefix, revokedBy: actor.prefix, reason: 'leaked in a gist' });

      await expectRefused(key.secret, key.prefix, /was revoked/);

      const events = await trail(key.id);
      expect(events.map((e) => e.action)).toEqual(['API_KEY_REVOKED', 'API_KEY_CREATED']);
      expect(events[0]).toMatchObject({
        actor: actor.prefix,
        targetPrefix: key.prefix,
        targetName: 'acme-sync',
        details: { reason: 'leaked in a gist' },
      });
    });

    it('is permanent: the revoked key can no longer be activated, renamed, reset, revoked or deleted', async () => {
      const key = await seed.key(admin, { name: 'gone' });
      dataOf(await call(admin, REVOKE, { id: key.id }));
      const attempts: Array<[string, string, Record<string, unknown>]> = [
        ['activateApiKey', ACTIVATE, { id: key.id }],
        ['renameApiKey', RENAME, { id: key.id, name: 'back' }],
        ['resetApiKey', RESET, { id: key.id }],
        ['updateApiKeyPermissions', UPDATE_PERMISSIONS, { id: key.id, permissions: [] }],
        ['revokeApiKey', REVOKE, { id: key.id }],
        ['deleteApiKey', DELETE, { id: key.id }],
      ];
      for (const [field, query, variables] of attempts) {
        const res = await call(admin, query, variables);
        expect({ field, code: codeOf(res), path: res.errors?.[0].path }).toEqual({ field, code: 'NOT_FOUND', path: [field] });
      }
      await expectRefused(key.secret, key.prefix, /was revoked/);
      expect(await actions(key.id)).toEqual(['API_KEY_REVOKED', 'API_KEY_CREATED']);
    });

    it('also ends an old value that was still in its reset grace period, saying it was revoked', async () => {
      const key = await seed.key(admin, { name: 'rotating' });
      const reset = dataOf(await call(admin, RESET, { id: key.id, grace: 3600 })).resetApiKey;
      await expectWorks(key.secret, reset.apiKey.prefix);
      dataOf(await call(admin, REVOKE, { id: key.id }));
      await expectRefused(key.secret, key.prefix, /was revoked/);
      await expectRefused(reset.secret, reset.apiKey.prefix, /was revoked/);
    });

    it('refuses a reason over 500 characters and keeps the key', async () => {
      const key = await seed.key(admin);
      const res = await call(admin, REVOKE, { id: key.id, reason: 'x'.repeat(501) });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
      await expectWorks(key.secret, key.prefix);
      expect(await actions(key.id)).toEqual(['API_KEY_CREATED']);
    });
  });

  describe('deleteApiKey', () => {
    it('removes the key with no history but its audit events, and returns its id', async () => {
      const key = await seed.key(admin, { name: 'temporary' });
      const res = await call(admin, DELETE, { id: key.id });
      expect(dataOf(res).deleteApiKey).toBe(key.id);

      await expectRefused(key.secret, key.prefix);
      expect(await listedIds('apiKeys')).not.toContain(key.id);
      expect(await listedIds('revokedKeys')).not.toContain(key.id);
      expect(dataOf(await call(admin, GET, { id: key.id })).apiKey).toBeNull();

      const events = await trail(key.id);
      expect(events.map((e) => e.action)).toEqual(['API_KEY_DELETED', 'API_KEY_CREATED']);
      expect(events[0]).toMatchObject({ actor: account.primary.prefix, targetPrefix: key.prefix, targetName: 'temporary' });

      const again = await call(admin, DELETE, { id: key.id });
      expect(codeOf(again)).toBe('NOT_FOUND');
      expect(await actions(key.id)).toHaveLength(2);
    });
  });

  describe('the primary admin key', () => {
    let owner: SeededAccount;
    let secret: string;

    beforeAll(async () => {
      owner = await seed.account();
      secret = owner.primary.secret;
    });

    const ownTrail = async () =>
      dataOf(
        await call(secret, AUDIT, { filter: { targetId: owner.primary.id, targetType: 'API_KEY' } }),
      ).auditEvents.edges.map((edge: { node: AuditNode }) => edge.node.action);

    it.each([
      ['revoked', 'revokeApiKey', REVOKE, {}],
      ['deactivated', 'deactivateApiKey', DEACTIVATE, {}],
      ['deleted', 'deleteApiKey', DELETE, {}],
      ['re-permissioned', 'updateApiKeyPermissions', UPDATE_PERMISSIONS, { permissions: ['KEYS_READ'] }],
    ])('cannot be %s: FORBIDDEN, and it keeps working with every permission', async (_case, field, query, extra) => {
      const before = await ownTrail();
      const res = await call(secret, query, { id: owner.primary.id, ...extra });
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect(res.errors?.[0].path).toEqual([field]);

      const key = dataOf(await call(secret, GET, { id: owner.primary.id })).apiKey;
      expect(key).toMatchObject({ isPrimary: true, status: 'ACTIVE', permissions: owner.primary.permissions });
      expect(owner.primary.permissions).toHaveLength(10);
      await expectWorks(secret, key.prefix);
      expect(await ownTrail()).toEqual(before);
    });

    it('refuses another admin key too', async () => {
      const other = await seed.key(secret, { permissions: ['KEYS_READ', 'KEYS_WRITE'] });
      for (const query of [REVOKE, DEACTIVATE, DELETE]) {
        expect(codeOf(await call(other.secret, query, { id: owner.primary.id }))).toBe('FORBIDDEN');
      }
      // A narrower key resetting the primary would take over all of its permissions.
      expect(codeOf(await call(other.secret, RESET, { id: owner.primary.id }))).toBe('FORBIDDEN');
      await expectWorks(secret, owner.primary.prefix);
    });

    it('can be renamed and reset', async () => {
      const renamed = await call(secret, RENAME, { id: owner.primary.id, name: 'Main key' });
      expect(dataOf(renamed).renameApiKey).toMatchObject({ name: 'Main key', isPrimary: true, prefix: owner.primary.prefix });
      await expectWorks(secret, owner.primary.prefix);

      const reset = dataOf(await call(secret, RESET, { id: owner.primary.id })).resetApiKey;
      expect(reset.apiKey).toMatchObject({ id: owner.primary.id, name: 'Main key', isPrimary: true });
      expect(reset.apiKey.permissions).toEqual(owner.primary.permissions);
      await expectRefused(secret, owner.primary.prefix, /reset/);
      secret = reset.secret;
      await expectWorks(secret, reset.apiKey.prefix);
      expect((await ownTrail()).slice(0, 3)).toEqual(['API_KEY_RESET', 'API_KEY_RENAMED', 'API_KEY_CREATED']);
    });
  });

  describe("a client key's scope", () => {
    it("manages its own client's keys, and finds nothing outside its client", async () => {
      const acme = await seed.client(admin);
      const globex = await seed.client(admin);
      const manager = await seed.key(admin, { clientId: acme.id, permissions: ['KEYS_READ', 'KEYS_WRITE', 'AUDIT_READ'] });
      const sibling = await seed.key(admin, { clientId: acme.id, name: 'sibling' });
      const adminKey = await seed.key(admin, { name: 'admin' });
      const globexKey = await seed.key(admin, { clientId: globex.id, name: 'globex' });

      for (const target of [adminKey, globexKey, account.primary]) {
        for (const [field, query, extra] of [
          ['renameApiKey', RENAME, { name: 'taken over' }],
          ['resetApiKey', RESET, {}],
          ['deactivateApiKey', DEACTIVATE, {}],
          ['revokeApiKey', REVOKE, {}],
          ['deleteApiKey', DELETE, {}],
        ] as const) {
          const res = await call(manager.secret, query, { id: target.id, ...extra });
          expect({ field, target: target.prefix, code: codeOf(res) }).toEqual({ field, target: target.prefix, code: 'NOT_FOUND' });
        }
        await expectWorks(target.secret, target.prefix);
      }

      const renamed = await call(manager.secret, RENAME, { id: sibling.id, name: 'sibling-2' });
      expect(dataOf(renamed).renameApiKey).toMatchObject({ id: sibling.id, name: 'sibling-2', client: { id: acme.id } });
      const [event] = await trail(sibling.id, manager.secret);
      expect(event).toMatchObject({ action: 'API_KEY_RENAMED', actor: manager.prefix, targetPrefix: sibling.prefix });
    });

    it('refuses permissions a client key may not hold with BAD_USER_INPUT', async () => {
      const client = await seed.client(admin);
      const key = await seed.key(admin, { clientId: client.id, permissions: ['LEADS_READ'] });
      const res = await call(admin, UPDATE_PERMISSIONS, { id: key.id, permissions: ['LEADS_READ', 'CLIENTS_READ'] });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'permissions' });
      expect(dataOf(await call(admin, GET, { id: key.id })).apiKey.permissions).toEqual(['LEADS_READ']);
    });
  });

  describe("another account's key", () => {
    it.each([
      ['renameApiKey', RENAME, { name: 'mine now' }],
      ['updateApiKeyPermissions', UPDATE_PERMISSIONS, { permissions: [] }],
      ['resetApiKey', RESET, {}],
      ['deactivateApiKey', DEACTIVATE, {}],
      ['activateApiKey', ACTIVATE, {}],
      ['revokeApiKey', REVOKE, {}],
      ['deleteApiKey', DELETE, {}],
    ])('is NOT_FOUND for %s, and left alone', async (field, query, extra) => {
      const other = await seed.account();
      const theirs = await seed.key(other.primary.secret, { name: 'theirs' });
      const res = await call(admin, query, { id: theirs.id, ...extra });
      expect(codeOf(res)).toBe('NOT_FOUND');
      expect(res.errors?.[0].path).toEqual([field]);
      await expectWorks(theirs.secret, theirs.prefix);
      const theirTrail = dataOf(await call(other.primary.secret, AUDIT, { filter: { targetId: theirs.id, targetType: 'API_KEY' } }));
      expect(theirTrail.auditEvents.totalCount).toBe(1);
    });
  });
});
