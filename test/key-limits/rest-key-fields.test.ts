import { useTestServer } from '../support/harness';
import { clientKeyRoutes } from '../rest/client-api-key.fixtures';
import { okData } from '../rest/rest-client';

/** The REST client-key routes take and show credits and named limits in the contract's snake_case. */
describe('REST: credits and named limits on client keys', () => {
  const t = useTestServer();
  const { create, list, viewer } = clientKeyRoutes(t);
  let client: { id: string };

  beforeAll(async () => {
    client = await t.seed.client(t.account.primary.secret, 'Metered');
  });

  it('are set with remaining, refill and rate_limits, and shown on the key', async () => {
    const res = await create(t.account.primary.secret, {
      clientId: client.id,
      keyName: 'metered',
      remaining: 100,
      refill: { amount: 500, interval: 'monthly' },
      rate_limits: [{ name: 'search', limit: 10, duration_seconds: 60 }],
    });
    expect(okData(res)).toMatchObject({
      remaining: 100,
      refill: { amount: 500, interval: 'monthly' },
      last_refill_at: expect.any(String),
      rate_limits: [{ name: 'search', limit: 10, duration_seconds: 60 }],
    });
  });

  it('are listed as counted, before the count is written behind to the row', async () => {
    const created = okData(await create(t.account.primary.secret, { clientId: client.id, keyName: 'counted', remaining: 5 }));
    for (let i = 0; i < 2; i++) expect((await viewer(created.api_key)).errors).toBeUndefined();
    const listed = okData(await list(t.account.primary.secret, { clientId: client.id }));
    expect(listed.find((key: { id: number }) => key.id === created.id)).toMatchObject({
      remaining: 3,
      last_refill_at: created.last_refill_at,
    });
  });

  it('refuse a bad entry, naming the field as REST spells it', async () => {
    const res = await create(t.account.primary.secret, {
      clientId: client.id,
      keyName: 'metered',
      rate_limits: [{ name: 'search', limit: 10, duration_seconds: 90_000 }],
    });
    expect([res.status, res.body.error.code, res.body.error.field]).toEqual([422, 'BAD_USER_INPUT', 'rate_limits[0].duration_seconds']);
    expect(res.body.error.message).toMatch(/^rate_limits\[0\]\.duration_seconds must be/);
    const refill = await create(t.account.primary.secret, {
      clientId: client.id,
      keyName: 'metered',
      refill: { amount: 5, interval: 'weekly' },
    });
    expect([refill.status, refill.body.error.field]).toEqual([422, 'refill.interval']);
  });
});
