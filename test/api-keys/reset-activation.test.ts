import { codeOf, dataOf } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { ACTIVATE, DEACTIVATE, GET, keyLifecycle, RESET } from './lifecycle.fixtures';

/** Which values of a key work: a reset issues a new one (the old one lasting through a grace period), deactivation refuses all of them until activation. */
describe('the API key lifecycle', () => {
  const t = useTestServer();
  const { admin, call, trail, actions, expectWorks, expectRefused, listedIds } = keyLifecycle(t);

  describe('resetApiKey', () => {
    it('keeps the record and issues a new value and prefix; the old value fails at once, naming its prefix', async () => {
      const key = await t.seed.key(admin(), { name: 'Clay', permissions: ['KEYS_READ', 'LEADS_READ'] });
      const before = dataOf(await call(admin(), GET, { id: key.id })).apiKey;
      const res = await call(admin(), RESET, { id: key.id });
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
        actor: t.account.primary.prefix,
        targetPrefix: apiKey.prefix,
        details: { previousPrefix: key.prefix, gracePeriodSeconds: 0 },
      });
      expect(await listedIds('apiKeys')).toContain(key.id);
    });

    it('keeps the old value working through the grace period, then refuses it', async () => {
      const key = await t.seed.key(admin(), { permissions: ['LEADS_READ'] });
      const res = await call(admin(), RESET, { id: key.id, grace: 3 });
      const resetAt = t.clock.now();
      const { secret, apiKey } = dataOf(res).resetApiKey;

      // Old and new values both work during the grace period, as the same key.
      await expectWorks(key.secret, apiKey.prefix);
      await expectWorks(secret, apiKey.prefix);
      const [event] = await trail(key.id);
      expect(event.details).toMatchObject({ previousPrefix: key.prefix, gracePeriodSeconds: 3 });
      const validUntil = Date.parse(String(event.details.previousValueValidUntil));
      expect(validUntil).toBeGreaterThan(resetAt);
      expect(validUntil).toBeLessThanOrEqual(resetAt + 3000);

      t.clock.advance(validUntil - t.clock.now() + 300);
      await expectRefused(key.secret, key.prefix, /reset/);
      await expectWorks(secret, apiKey.prefix);
    });

    it('never lets the grace period outlive the key', async () => {
      const expiresAt = new Date(Date.now() + 60 * 60 * 1000);
      const key = await t.seed.key(admin(), { expiresAt: expiresAt.toISOString() });
      const res = await call(admin(), RESET, { id: key.id, grace: 7 * 24 * 60 * 60 });
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
      const key = await t.seed.key(admin());
      const res = await call(admin(), RESET, { id: key.id, grace });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'gracePeriodSeconds' });
      expect(res.errors?.[0].path).toEqual(['resetApiKey']);
      await expectWorks(key.secret, key.prefix);
      expect(await actions(key.id)).toEqual(['API_KEY_CREATED']);
    });

    it('accepts a grace period of exactly 7 days', async () => {
      const key = await t.seed.key(admin());
      const res = await call(admin(), RESET, { id: key.id, grace: 7 * 24 * 60 * 60 });
      const { apiKey } = dataOf(res).resetApiKey;
      await expectWorks(key.secret, apiKey.prefix);
    });

    it('refuses a caller that would gain permissions from the new value', async () => {
      const narrow = await t.seed.key(admin(), { permissions: ['KEYS_READ', 'KEYS_WRITE'] });
      const wide = await t.seed.key(admin(), { permissions: ['KEYS_READ', 'LEADS_DELETE'] });
      const res = await call(narrow.secret, RESET, { id: wide.id });
      expect(codeOf(res)).toBe('FORBIDDEN');
      await expectWorks(wide.secret, wide.prefix);
      expect(await actions(wide.id)).toEqual(['API_KEY_CREATED']);
    });
  });

  describe('deactivateApiKey and activateApiKey', () => {
    it('refuses an inactive key with 401 naming its prefix, and takes it back after activation', async () => {
      const key = await t.seed.key(admin(), { permissions: ['LEADS_READ'] });
      const off = await call(admin(), DEACTIVATE, { id: key.id });
      expect(dataOf(off).deactivateApiKey).toMatchObject({ id: key.id, status: 'INACTIVE', prefix: key.prefix });
      await expectRefused(key.secret, key.prefix, /inactive/);
      expect(await listedIds('apiKeys')).toContain(key.id);

      // Deactivating again changes nothing and is not audited.
      expect(dataOf(await call(admin(), DEACTIVATE, { id: key.id })).deactivateApiKey.status).toBe('INACTIVE');

      const on = await call(admin(), ACTIVATE, { id: key.id });
      expect(dataOf(on).activateApiKey).toMatchObject({ id: key.id, status: 'ACTIVE', prefix: key.prefix });
      await expectWorks(key.secret, key.prefix);
      expect(dataOf(await call(admin(), ACTIVATE, { id: key.id })).activateApiKey.status).toBe('ACTIVE');

      const events = await trail(key.id);
      expect(events.map((e) => e.action)).toEqual(['API_KEY_ACTIVATED', 'API_KEY_DEACTIVATED', 'API_KEY_CREATED']);
      for (const event of events.slice(0, 2)) {
        expect(event).toMatchObject({ actor: t.account.primary.prefix, targetPrefix: key.prefix, targetId: key.id });
      }
    });

    it('keeps an old value in its grace period out while the key is inactive', async () => {
      const key = await t.seed.key(admin());
      const { secret, apiKey } = dataOf(await call(admin(), RESET, { id: key.id, grace: 3600 })).resetApiKey;
      await call(admin(), DEACTIVATE, { id: key.id });
      await expectRefused(key.secret, key.prefix, /inactive/);
      await expectRefused(secret, apiKey.prefix, /inactive/);
    });
  });
});
