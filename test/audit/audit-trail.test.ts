import { dataOf, graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { AuditEvent, auditReads, EVENTS } from './audit.fixtures';

/** The stored (resource:action) form every key event's details use. */
const ALL_PERMISSION_NAMES = [
  'keys:read',
  'keys:write',
  'clients:read',
  'clients:write',
  'leads:read',
  'leads:create',
  'leads:update',
  'leads:delete',
  'audit:read',
  'keys:verify',
  'webhooks:read',
  'webhooks:write',
];

const LOOPBACK = /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/;

/** The trail: every change writes one event saying who did what to which object, from where, and the filters and pages that find it. */
describe('audit events', () => {
  const t = useTestServer({}, { account: false });
  const { events } = auditReads(t);

  describe('every change writes an event with who, what, and from where', () => {
    const OPERATOR_UA = 'keyward-tests/1.0 (operator console)';
    const KEY_UA = 'keyward-tests/1.0 (dashboard)';
    let started: number;
    let account: { id: string; name: string };
    let primary: { id: string; prefix: string; secret: string };
    let client: { id: string; name: string };
    let key: { id: string; prefix: string };
    let trail: AuditEvent[];

    beforeAll(async () => {
      started = Date.now();
      const created = dataOf(
        await graphql(t.url, {
          as: t.operatorToken,
          headers: { 'user-agent': OPERATOR_UA },
          query: `mutation { createAccount(input: { name: "Audit Co" }) {
            account { id name } primaryKey { secret apiKey { id prefix } }
          } }`,
        }),
      ).createAccount;
      account = created.account;
      primary = { ...created.primaryKey.apiKey, secret: created.primaryKey.secret };

      const asPrimary = (query: string, variables: Record<string, unknown>) =>
        graphql(t.url, { as: primary.secret, headers: { 'user-agent': KEY_UA }, query, variables });
      client = dataOf(
        await asPrimary('mutation($name: String!) { createClient(input: { name: $name }) { id name } }', { name: 'Old name' }),
      ).createClient;
      dataOf(await asPrimary('mutation($id: ID!) { renameClient(id: $id, name: "New name") { id } }', { id: client.id }));
      key = dataOf(
        await asPrimary(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id prefix } } }`, {
          input: { name: 'sync', clientId: client.id, permissions: ['LEADS_READ', 'KEYS_READ'], expiresAt: '2099-01-01T00:00:00.000Z' },
        }),
      ).createApiKey.apiKey;
      dataOf(
        await graphql(t.url, {
          as: t.operatorToken,
          headers: { 'user-agent': OPERATOR_UA },
          query: 'mutation($id: ID!) { updateAccount(id: $id, input: { name: "Audit Co Renamed" }) { id } }',
          variables: { id: account.id },
        }),
      );
      trail = await events(primary.secret);
    });

    it('lists the account’s whole trail, newest first', () => {
      expect(trail.map((e) => e.action)).toEqual([
        'ACCOUNT_UPDATED',
        'API_KEY_CREATED',
        'CLIENT_RENAMED',
        'CLIENT_CREATED',
        'API_KEY_CREATED',
        'ACCOUNT_CREATED',
      ]);
      const ids = trail.map((e) => Number(e.id));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      for (const event of trail) {
        const at = Date.parse(event.createdAt);
        expect(at).toBeGreaterThanOrEqual(started - 2000);
        expect(at).toBeLessThanOrEqual(Date.now() + 2000);
        expect(event.ip).toMatch(LOOPBACK);
      }
    });

    it('records account creation, by the operator', () => {
      expect(trail[5]).toMatchObject({
        actor: 'operator',
        action: 'ACCOUNT_CREATED',
        targetType: 'ACCOUNT',
        targetId: account.id,
        targetPrefix: null,
        targetName: 'Audit Co',
        details: { rateLimitPerMinute: 1000, developerApiEnabled: true },
        userAgent: OPERATOR_UA,
      });
    });

    it('records the primary key’s creation, with its prefix and permissions', () => {
      expect(trail[4]).toMatchObject({
        actor: 'operator',
        action: 'API_KEY_CREATED',
        targetType: 'API_KEY',
        targetId: primary.id,
        targetPrefix: primary.prefix,
        targetName: 'Primary admin key',
        details: { kind: 'ADMIN', permissions: ALL_PERMISSION_NAMES, expiresAt: null },
        userAgent: OPERATOR_UA,
      });
    });

    it('records client creation and renaming, by the key that did it', () => {
      expect(trail[3]).toMatchObject({
        actor: primary.prefix,
        action: 'CLIENT_CREATED',
        targetType: 'CLIENT',
        targetId: client.id,
        targetPrefix: null,
        targetName: 'Old name',
        details: {},
        userAgent: KEY_UA,
      });
      expect(trail[2]).toMatchObject({
        actor: primary.prefix,
        action: 'CLIENT_RENAMED',
        targetType: 'CLIENT',
        targetId: client.id,
        targetName: 'New name',
        details: { from: 'Old name', to: 'New name' },
        userAgent: KEY_UA,
      });
    });

    it('records key creation with kind, permissions and expiry', () => {
      expect(trail[1]).toMatchObject({
        actor: primary.prefix,
        action: 'API_KEY_CREATED',
        targetType: 'API_KEY',
        targetId: key.id,
        targetPrefix: key.prefix,
        targetName: 'sync',
        details: { kind: 'CLIENT', permissions: ['keys:read', 'leads:read'], expiresAt: '2099-01-01T00:00:00.000Z' },
        userAgent: KEY_UA,
      });
    });

    it('records account updates with what changed', () => {
      expect(trail[0]).toMatchObject({
        actor: 'operator',
        action: 'ACCOUNT_UPDATED',
        targetType: 'ACCOUNT',
        targetId: account.id,
        targetName: 'Audit Co Renamed',
        details: { name: { from: 'Audit Co', to: 'Audit Co Renamed' } },
        userAgent: OPERATOR_UA,
      });
    });

    it('never records the secret', () => {
      expect(JSON.stringify(trail)).not.toContain(primary.secret.slice(12));
    });

    describe('filters', () => {
      it.each([
        ['action', () => ({ action: 'API_KEY_CREATED' }), [1, 4]],
        ['action and target type', () => ({ action: 'ACCOUNT_UPDATED', targetType: 'ACCOUNT' }), [0]],
        ['target type', () => ({ targetType: 'CLIENT' }), [2, 3]],
        ['target id of a client', () => ({ targetId: client.id, targetType: 'CLIENT' }), [2, 3]],
        ['target id of the account', () => ({ targetId: account.id, targetType: 'ACCOUNT' }), [0, 5]],
        ['target prefix', () => ({ targetPrefix: key.prefix }), [1]],
        ['target prefix of the primary key', () => ({ targetPrefix: primary.prefix }), [4]],
        ['actor', () => ({ actor: 'operator' }), [0, 4, 5]],
        ['actor, partial and in another case', () => ({ actor: 'OPERA' }), [0, 4, 5]],
        ['actor by key prefix', () => ({ actor: primary.prefix }), [1, 2, 3]],
        ['actor and action', () => ({ actor: primary.prefix, action: 'CLIENT_RENAMED' }), [2]],
        ['a prefix that matches nothing', () => ({ targetPrefix: 'sk_00000000' }), []],
        ['an actor that matches nothing', () => ({ actor: '%' }), []],
      ])('by %s', async (_case, filter, expected) => {
        const found = await events(primary.secret, filter());
        expect(found.map((e) => e.id)).toEqual(expected.map((i) => trail[i].id));
      });

      it('pages newest first', async () => {
        const page = (after: string | null) => t.call(primary.secret, EVENTS, { first: 4, after });
        const first = dataOf(await page(null)).auditEvents;
        expect(first.totalCount).toBe(6);
        expect(first.pageInfo.hasNextPage).toBe(true);
        const second = dataOf(await page(first.pageInfo.endCursor)).auditEvents;
        expect(second.pageInfo.hasNextPage).toBe(false);
        expect([...first.edges, ...second.edges].map((e: any) => e.node.id)).toEqual(trail.map((e) => e.id));
      });
    });
  });

  it('truncates a long user agent instead of failing the change', async () => {
    const account = await t.seed.account();
    const long = `agent/${'x'.repeat(400)}`;
    const res = await graphql(t.url, {
      as: account.primary.secret,
      headers: { 'user-agent': long },
      query: 'mutation { createClient(input: { name: "Long agent" }) { id } }',
    });
    const { id } = dataOf(res).createClient;
    const [event] = await events(account.primary.secret, { targetId: id, targetType: 'CLIENT' });
    expect(event.userAgent).toBe(long.slice(0, 255));
  });
});
