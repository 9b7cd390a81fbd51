import { ApiKeyKind } from '../../src/shared/api-key-kind';
import { ApiKey } from '../../src/api-keys/api-key.entity';
import { generateKey } from '../../src/api-keys/key-material';
import { codeOf, dataOf, GraphQLResponse } from '../support/graphql';
import { SeededKey } from '../support/seed';
import { useTestServer } from '../support/harness';
import { SqlCounter, withTestServer } from '../support/server';

const VIEWER = '{ viewer { prefix permissions } }';

/** SQL statements that look a key up by hash (live, previous value, or revoked). */
function keyLookups(sql: SqlCounter): string[] {
  return sql.statements.filter((statement) => /key_hash/i.test(statement) && /^\s*SELECT/i.test(statement));
}

function expectRefused(res: GraphQLResponse, message: RegExp): void {
  expect(res.status).toBe(401);
  expect(codeOf(res)).toBe('UNAUTHENTICATED');
  expect(res.errors?.[0].message).toMatch(message);
}

describe('the verification cache', () => {
  const t = useTestServer();

  const as = (secret: string, query = VIEWER, variables?: Record<string, unknown>) => t.call(secret, query, variables);
  const admin = async (query: string, variables: Record<string, unknown>) => await t.data(t.account.primary.secret, query, variables);

  /** A request with the key, and the statements it cost looking the key up. */
  async function lookupsFor(secret: string, query = VIEWER): Promise<{ res: GraphQLResponse; lookups: number }> {
    t.sql.reset();
    const res = await as(secret, query);
    return { res, lookups: keyLookups(t.sql).length };
  }

  /** Authenticates once so the key is cached, and proves it: a second request never asks the database. */
  async function warm(secret: string): Promise<void> {
    dataOf(await as(secret));
    const again = await lookupsFor(secret);
    dataOf(again.res);
    expect(again.lookups).toBe(0);
  }

  it('answers a key it has seen from memory, and a well-formed unknown key too', async () => {
    const key = await t.seed.key(t.account.primary.secret, { permissions: ['KEYS_READ'] });
    const first = await lookupsFor(key.secret);
    expect(dataOf(first.res).viewer.prefix).toBe(key.prefix);
    expect(first.lookups).toBeGreaterThan(0);
    await warm(key.secret);

    // Valid checksum, no such key: remembered briefly, so garbage cannot hammer the database.
    const stranger = generateKey(ApiKeyKind.ADMIN).secret;
    const miss = await lookupsFor(stranger);
    expectRefused(miss.res, /does not exist/);
    expect(miss.lookups).toBeGreaterThan(0);
    const remembered = await lookupsFor(stranger);
    expectRefused(remembered.res, /does not exist/);
    expect(remembered.lookups).toBe(0);
  });

  it('never lets a value whose checksum fails reach the database, even beside its cached key', async () => {
    const key = await t.seed.key(t.account.primary.secret, { permissions: ['KEYS_READ'] });
    await warm(key.secret);
    const last = key.secret.slice(-1);
    const typo = key.secret.slice(0, -1) + (last === 'a' ? 'b' : 'a');
    for (const attempt of [1, 2]) {
      const { res, lookups } = await lookupsFor(typo);
      expectRefused(res, /fails its checksum/);
      expect([attempt, lookups]).toEqual([attempt, 0]);
    }
    dataOf(await as(key.secret));
  });

  describe('drops a key the moment it changes', () => {
    let key: SeededKey;
    beforeEach(async () => {
      key = await t.seed.key(t.account.primary.secret, { permissions: ['KEYS_READ', 'LEADS_READ'] });
      await warm(key.secret);
    });

    it('revoked', async () => {
      await admin('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: key.id });
      expectRefused(await as(key.secret), /was revoked/);
    });

    it('deleted', async () => {
      await admin('mutation($id: ID!) { deleteApiKey(id: $id) }', { id: key.id });
      expectRefused(await as(key.secret), /does not exist/);
    });

    it('deactivated, then activated again', async () => {
      await admin('mutation($id: ID!) { deactivateApiKey(id: $id) { status } }', { id: key.id });
      expectRefused(await as(key.secret), /inactive/);
      await warm(t.account.primary.secret);
      await admin('mutation($id: ID!) { activateApiKey(id: $id) { status } }', { id: key.id });
      expect(dataOf(await as(key.secret)).viewer.prefix).toBe(key.prefix);
    });

    it('re-permissioned', async () => {
      await admin('mutation($id: ID!, $p: [Permission!]!) { updateApiKeyPermissions(id: $id, permissions: $p) { id } }', {
        id: key.id,
        p: ['AUDIT_READ'],
      });
      expect(dataOf(await as(key.secret)).viewer.permissions).toEqual(['AUDIT_READ']);
    });

    it('reset: the old value stops at once, the new one works', async () => {
      const reset = await admin('mutation($id: ID!) { resetApiKey(id: $id) { secret apiKey { prefix } } }', { id: key.id });
      expectRefused(await as(key.secret), /was reset/);
      expect(dataOf(await as(reset.resetApiKey.secret)).viewer.prefix).toBe(reset.resetApiKey.apiKey.prefix);
    });

    it('reset again: a value retired by an earlier reset is refused too', async () => {
      const first = await admin('mutation($id: ID!) { resetApiKey(id: $id, gracePeriodSeconds: 3600) { secret } }', { id: key.id });
      await warm(key.secret); // inside its grace period, and now cached as such
      await admin('mutation($id: ID!) { resetApiKey(id: $id) { secret } }', { id: key.id });
      expectRefused(await as(key.secret), /does not exist/);
      expectRefused(await as(first.resetApiKey.secret), /was reset/);
    });
  });

  describe('judges time on every use, not when it cached', () => {
    it('refuses a cached key once it expires', async () => {
      const expiresAt = new Date(t.clock.now() + 1500);
      const key = await t.seed.key(t.account.primary.secret, { expiresAt: expiresAt.toISOString() });
      await warm(key.secret);
      t.clock.advance(expiresAt.getTime() - t.clock.now() + 50);
      const after = await lookupsFor(key.secret);
      expectRefused(after.res, /expired/);
      expect(after.lookups).toBe(0);
    });

    it("ends a reset's grace period on time, though the old value is cached", async () => {
      const key = await t.seed.key(t.account.primary.secret);
      await admin('mutation($id: ID!) { resetApiKey(id: $id, gracePeriodSeconds: 1) { secret } }', { id: key.id });
      await warm(key.secret);
      t.clock.advance(1100);
      const after = await lookupsFor(key.secret);
      expectRefused(after.res, /was reset/);
      expect(after.lookups).toBe(0);
    });
  });

  describe('drops every key of an account whose plan changes', () => {
    const UPDATE = 'mutation($id: ID!, $input: UpdateAccountInput!) { updateAccount(id: $id, input: $input) { id } }';
    const operator = (variables: Record<string, unknown>) => t.call(t.operatorToken, UPDATE, variables).then(dataOf);

    it('the Developer API flag: 403 on the next request, and back', async () => {
      const tenant = await t.seed.account();
      const key = await t.seed.key(tenant.primary.secret);
      await warm(key.secret);
      await operator({ id: tenant.id, input: { developerApiEnabled: false } });
      const refused = await as(key.secret);
      expect(refused.status).toBe(403);
      expect(codeOf(refused)).toBe('DEVELOPER_API_DISABLED');
      await operator({ id: tenant.id, input: { developerApiEnabled: true } });
      expect(dataOf(await as(key.secret)).viewer.prefix).toBe(key.prefix);
    });

    it('the rate limit: the next request draws on the new limit', async () => {
      const tenant = await t.seed.account();
      await warm(tenant.primary.secret);
      await operator({ id: tenant.id, input: { rateLimitPerMinute: 777 } });
      const res = await as(tenant.primary.secret, '{ viewer { rateLimit { limit } } }');
      expect(dataOf(res).viewer.rateLimit.limit).toBe(777);
    });
  });

  it('without a message, bounds staleness by its TTL', async () => {
    await withTestServer({ keyCacheTtlMs: 1000 }, async (short) => {
      const tenant = await short.seed.account();
      const key = await short.seed.key(tenant.primary.secret);
      await short.data(key.secret, VIEWER);
      // Changed behind the server's back, as another instance without Redis would.
      await short.server.dataSource.getRepository(ApiKey).update({ id: Number(key.id) }, { active: false });
      await short.data(key.secret, VIEWER);
      short.clock.advance(1100);
      expectRefused(await short.call(key.secret, VIEWER), /inactive/);
    });
  });
});
