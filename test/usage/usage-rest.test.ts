import { rest } from '../rest/rest-client';
import { useTestServer } from '../support/harness';
import { byOutcome, flushUsage, HOUR, USAGE_TEST_CONFIG, verifyCode } from './usage.fixtures';

const PATH = '/api/v1/client/api-key/usage';

/* GET /api/v1/client/api-key/usage/:id: ApiKey.usage's REST twin, for client keys. */
describe('REST: a client key usage', () => {
  const t = useTestServer(USAGE_TEST_CONFIG);
  const around = () => ({ from: new Date(t.clock.now() - HOUR).toISOString(), to: new Date(t.clock.now() + HOUR).toISOString() });

  it('answers the buckets, by hour or by day, counting verifications and requests alike', async () => {
    const admin = t.account.primary.secret;
    const client = await t.seed.client(admin);
    const key = await t.seed.key(admin, { clientId: client.id, permissions: ['KEYS_READ'] });
    for (let i = 0; i < 2; i++) expect(await verifyCode(t, admin, key.secret)).toBe('VALID');
    expect((await rest(t.url, { method: 'GET', path: '/api/v1/client/api-key', as: key.secret })).status).toBe(200);
    await flushUsage(t);

    const hourly = await rest(t.url, { method: 'GET', path: `${PATH}/${key.id}`, as: admin, query: around() });
    expect(hourly.status).toBe(200);
    expect(hourly.body.ok).toBe(true);
    expect(byOutcome(hourly.body.data)).toEqual({ VALID: 3 });
    expect(hourly.body.data.every((bucket: { start: string }) => Date.parse(bucket.start) % HOUR === 0)).toBe(true);

    const daily = await rest(t.url, { method: 'GET', path: `${PATH}/${key.id}`, as: key.secret, query: { ...around(), interval: 'day' } });
    expect(byOutcome(daily.body.data)).toEqual({ VALID: 3 });
    expect(daily.body.data.every((bucket: { start: string }) => Date.parse(bucket.start) % (24 * HOUR) === 0)).toBe(true);
  });

  it.each([
    ['from missing', () => ({ to: new Date().toISOString() }), 'from'],
    ['to not a date', () => ({ from: new Date().toISOString(), to: 'yesterday' }), 'to'],
    ['to before from', () => ({ from: new Date().toISOString(), to: new Date(Date.now() - HOUR).toISOString() }), 'to'],
    [
      'an unknown interval',
      () => ({ from: new Date(Date.now() - HOUR).toISOString(), to: new Date().toISOString(), interval: 'week' }),
      'interval',
    ],
  ])('refuses %s with 422 naming it', async (_, query, field) => {
    const admin = t.account.primary.secret;
    const key = await t.seed.key(admin, { clientId: (await t.seed.client(admin)).id });
    const res = await rest(t.url, { method: 'GET', path: `${PATH}/${key.id}`, as: admin, query: query() });
    expect([res.status, res.body.error.code, res.body.error.field]).toEqual([422, 'BAD_USER_INPUT', field]);
  });

  it("answers 404 for an admin key, another client's key seen by a client key, and another account's key", async () => {
    const admin = t.account.primary.secret;
    const mine = await t.seed.key(admin, { clientId: (await t.seed.client(admin)).id, permissions: ['KEYS_READ'] });
    const theirs = await t.seed.key(admin, { clientId: (await t.seed.client(admin)).id });
    const other = await t.seed.account();
    const adminKey = await t.seed.key(admin);
    for (const [as, id] of [
      [admin, adminKey.id],
      [mine.secret, theirs.id],
      [other.primary.secret, mine.id],
    ]) {
      const res = await rest(t.url, { method: 'GET', path: `${PATH}/${id}`, as, query: around() });
      expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
    }
  });
});
