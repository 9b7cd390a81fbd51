import { ALL_PERMISSIONS } from '../../src/shared/permission';
import { codeOf } from '../support/graphql';
import { SeededAccount, SeededKey } from '../support/seed';
import { useTestServer } from '../support/harness';
import { rateLimitHeaders, setRateLimit } from '../rate-limits/rate-limit.fixtures';
import { mutate, neverIssuedKey, verification, verifyByGraphQL } from './verify.fixtures';

const REFUSED_DETAILS = {
  prefix: null,
  kind: null,
  account: null,
  client: null,
  permissions: null,
  expiresAt: null,
  rateLimit: null,
};

describe('verifyApiKey', () => {
  const t = useTestServer();
  let other: SeededAccount;
  let admin: string;
  let verifier: SeededKey;

  beforeAll(async () => {
    other = await t.seed.account();
    admin = t.account.primary.secret;
    verifier = await t.seed.key(admin, { name: 'gateway', permissions: ['KEYS_VERIFY'] });
  });

  describe('answers VALID with the details of a working key', () => {
    it('an admin key: prefix, kind, account, permissions, its pool', async () => {
      const key = await t.seed.key(admin, { permissions: ['LEADS_READ', 'KEYS_READ'] });
      const result = await verification(t, t.operatorToken, key.secret);
      expect(result).toEqual({
        valid: true,
        code: 'VALID',
        prefix: key.prefix,
        kind: 'ADMIN',
        account: { id: t.account.id, name: t.account.name },
        client: null,
        permissions: ['KEYS_READ', 'LEADS_READ'],
        expiresAt: null,
        rateLimit: { limit: 1000, remaining: expect.any(Number), resetAt: expect.any(String) },
      });
    });

    it('a client key: its client, and its permissions as held', async () => {
      const client = await t.seed.client(admin, 'Acme');
      const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
      const key = await t.seed.key(admin, { clientId: client.id, permissions: ['LEADS_READ'], expiresAt });
      const result = await verification(t, verifier.secret, key.secret);
      expect(result).toMatchObject({
        valid: true,
        code: 'VALID',
        prefix: key.prefix,
        kind: 'CLIENT',
        client: { id: client.id, name: 'Acme' },
        permissions: ['LEADS_READ'],
        expiresAt,
      });
    });

    it("a client key's client comes from memory with the key, and its new name as soon as it is renamed", async () => {
      const client = await t.seed.client(admin, 'Before');
      const key = await t.seed.key(admin, { clientId: client.id });
      expect((await verification(t, verifier.secret, key.secret)).client).toEqual({ id: client.id, name: 'Before' });
      t.sql.reset();
      expect((await verification(t, verifier.secret, key.secret)).client).toEqual({ id: client.id, name: 'Before' });
      expect(t.sql.statements).toEqual([]);
      const renamed = await t.call(admin, 'mutation($id: ID!) { renameClient(id: $id, name: "After") { name } }', { id: client.id });
      expect(renamed.data.renameClient.name).toBe('After');
      expect((await verification(t, verifier.secret, key.secret)).client).toEqual({ id: client.id, name: 'After' });
    });

    it('a primary key holds every permission', async () => {
      const result = await verification(t, t.operatorToken, other.primary.secret);
      expect(result.permissions).toHaveLength(ALL_PERMISSIONS.length);
      expect(result.account.id).toBe(other.id);
    });

    it('the old value of a reset key, inside its grace period', async () => {
      const key = await t.seed.key(admin);
      await mutate(t, admin, 'mutation($id: ID!) { resetApiKey(id: $id, gracePeriodSeconds: 3600) { secret } }', { id: key.id });
      expect(await verification(t, verifier.secret, key.secret)).toMatchObject({ valid: true, code: 'VALID' });
    });
  });

  describe('answers each failure with its code and no details', () => {
    const refused = async (key: string, code: string, as = verifier.secret) =>
      expect(await verification(t, as, key)).toEqual({ valid: false, code, ...REFUSED_DETAILS });

    it('NOT_FOUND: never issued, mistyped, not a key at all, deleted', async () => {
      await refused(neverIssuedKey(), 'NOT_FOUND');
      const key = await t.seed.key(admin);
      await refused(`${key.secret.slice(0, -1)}${key.secret.endsWith('A') ? 'B' : 'A'}`, 'NOT_FOUND');
      for (const junk of ['', 'hello', 'x'.repeat(10_000), "' OR 1=1 --", '🔑🔑🔑']) await refused(junk, 'NOT_FOUND');
      await mutate(t, admin, 'mutation($id: ID!) { deleteApiKey(id: $id) }', { id: key.id });
      await refused(key.secret, 'NOT_FOUND');
    });

    it('INACTIVE, and VALID again once activated', async () => {
      const key = await t.seed.key(admin);
      await mutate(t, admin, 'mutation($id: ID!) { deactivateApiKey(id: $id) { id } }', { id: key.id });
      await refused(key.secret, 'INACTIVE');
      await mutate(t, admin, 'mutation($id: ID!) { activateApiKey(id: $id) { id } }', { id: key.id });
      expect((await verification(t, verifier.secret, key.secret)).code).toBe('VALID');
    });

    it('REVOKED: a revoked key, and the old value of a reset key past its grace period', async () => {
      const revoked = await t.seed.key(admin);
      await mutate(t, admin, 'mutation($id: ID!) { revokeApiKey(id: $id) { prefix } }', { id: revoked.id });
      await refused(revoked.secret, 'REVOKED');
      const reset = await t.seed.key(admin);
      await mutate(t, admin, 'mutation($id: ID!) { resetApiKey(id: $id) { secret } }', { id: reset.id });
      await refused(reset.secret, 'REVOKED');
    });

    it('EXPIRED', async () => {
      const key = await t.seed.key(admin, { expiresAt: new Date(t.clock.now() + 1500).toISOString() });
      expect((await verification(t, verifier.secret, key.secret)).code).toBe('VALID');
      t.clock.advance(1600);
      await refused(key.secret, 'EXPIRED');
    });

    it('DEVELOPER_API_DISABLED, and VALID again once the operator turns it back on', async () => {
      const tenant = await t.seed.account();
      const toggle = (on: boolean) =>
        mutate(
          t,
          t.operatorToken,
          'mutation($id: ID!, $on: Boolean!) { updateAccount(id: $id, input: { developerApiEnabled: $on }) { id } }',
          {
            id: tenant.id,
            on,
          },
        );
      await toggle(false);
      await refused(tenant.primary.secret, 'DEVELOPER_API_DISABLED', t.operatorToken);
      await toggle(true);
      expect((await verification(t, t.operatorToken, tenant.primary.secret)).code).toBe('VALID');
    });
  });

  describe('counts against the verified key’s pool, not the caller’s', () => {
    it('RATE_LIMITED once the key’s pool is empty, with when it opens again', async () => {
      const tenant = await t.seed.account();
      await setRateLimit(t, tenant.id, 2);
      const first = await verification(t, t.operatorToken, tenant.primary.secret);
      expect(first).toMatchObject({ valid: true, code: 'VALID', rateLimit: { limit: 2, remaining: 1 } });
      expect((await verification(t, t.operatorToken, tenant.primary.secret)).rateLimit.remaining).toBe(0);
      const limited = await verification(t, t.operatorToken, tenant.primary.secret);
      expect(limited).toMatchObject({
        valid: false,
        code: 'RATE_LIMITED',
        prefix: tenant.primary.prefix,
        rateLimit: { limit: 2, remaining: 0 },
      });
      expect(Date.parse(limited.rateLimit.resetAt)).toBeGreaterThan(Date.now());
      // The key itself is refused as well: verifications and its own requests share the pool.
      const own = await t.call(tenant.primary.secret, '{ viewer { principal } }');
      expect([own.status, codeOf(own)]).toEqual([429, 'RATE_LIMITED']);
    });

    it("verifying costs the caller nothing, and draws on the verified client's pool", async () => {
      const tenant = await t.seed.account();
      await setRateLimit(t, tenant.id, 50);
      const gateway = await t.seed.key(tenant.primary.secret, { permissions: ['KEYS_VERIFY'] });
      const client = await t.seed.client(tenant.primary.secret);
      const clientKey = await t.seed.key(tenant.primary.secret, { clientId: client.id });
      const before = rateLimitHeaders((await verifyByGraphQL(t, gateway.secret, clientKey.secret)).headers).remaining;
      const remaining = [];
      for (let i = 0; i < 3; i++) {
        const res = await verifyByGraphQL(t, gateway.secret, clientKey.secret);
        expect(rateLimitHeaders(res.headers).remaining).toBe(before);
        remaining.push(res.data.verifyApiKey.rateLimit.remaining);
      }
      expect(remaining).toEqual([48, 47, 46]);
    });
  });

  describe('who may verify what', () => {
    it("a keys:verify key verifies its own account's keys only: another tenant's answer NOT_FOUND", async () => {
      expect(await verification(t, verifier.secret, other.primary.secret)).toEqual({
        valid: false,
        code: 'NOT_FOUND',
        ...REFUSED_DETAILS,
      });
      const revoked = await t.seed.key(other.primary.secret);
      await mutate(t, other.primary.secret, 'mutation($id: ID!) { revokeApiKey(id: $id) { prefix } }', { id: revoked.id });
      expect((await verification(t, verifier.secret, revoked.secret)).code).toBe('NOT_FOUND');
      expect((await verification(t, t.operatorToken, revoked.secret)).code).toBe('REVOKED');
    });

    it('the operator verifies any account’s keys', async () => {
      expect((await verification(t, t.operatorToken, admin)).code).toBe('VALID');
      expect((await verification(t, t.operatorToken, other.primary.secret)).code).toBe('VALID');
    });

    it('refuses callers without keys:verify: FORBIDDEN, or UNAUTHENTICATED when anonymous', async () => {
      const plain = await t.seed.key(admin, { permissions: ['KEYS_READ', 'KEYS_WRITE'] });
      const client = await t.seed.client(admin);
      const clientKey = await t.seed.key(admin, { clientId: client.id, permissions: ['KEYS_READ'] });
      for (const [as, code] of [
        [plain.secret, 'FORBIDDEN'],
        [clientKey.secret, 'FORBIDDEN'],
        [undefined, 'UNAUTHENTICATED'],
      ] as const) {
        const res = await verifyByGraphQL(t, as, admin);
        expect(res.data).toEqual({ verifyApiKey: null });
        expect(res.errors?.[0]).toMatchObject({ path: ['verifyApiKey'], extensions: { code } });
      }
    });
  });
});
