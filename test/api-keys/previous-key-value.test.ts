import { dataOf } from '../support/graphql';
import { useTestServer } from '../support/harness';

const RESET = `mutation($id: ID!, $grace: Int) {
  resetApiKey(id: $id, gracePeriodSeconds: $grace) { secret previousKeyExpiresAt apiKey { id prefix expiresAt } }
}`;
const VIEWER = '{ viewer { principal prefix usingPreviousKeyValue previousKeyExpiresAt apiKey { id } } }';
const HOUR = 60 * 60 * 1000;

describe("a reset key's previous value", () => {
  const t = useTestServer();

  async function reset(id: string, grace?: number) {
    const before = t.clock.now();
    const answer = (await t.data(t.account.primary.secret, RESET, { id, grace })).resetApiKey;
    return { ...answer, before, after: t.clock.now() };
  }

  it('resetApiKey says when the old value stops: at the end of the grace period', async () => {
    const key = await t.seed.key(t.account.primary.secret);
    const { previousKeyExpiresAt, before, after } = await reset(key.id, 3600);
    const stops = Date.parse(previousKeyExpiresAt);
    expect(stops).toBeGreaterThanOrEqual(before + HOUR);
    expect(stops).toBeLessThanOrEqual(after + HOUR);
  });

  it('stops at the reset itself without a grace period, and never after the key expires', async () => {
    const key = await t.seed.key(t.account.primary.secret);
    const { previousKeyExpiresAt, before, after } = await reset(key.id);
    expect(Date.parse(previousKeyExpiresAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(previousKeyExpiresAt)).toBeLessThanOrEqual(after);

    const expiring = await t.seed.key(t.account.primary.secret, { expiresAt: new Date(t.clock.now() + HOUR / 2).toISOString() });
    const capped = await reset(expiring.id, 3600);
    expect(capped.previousKeyExpiresAt).toBe(capped.apiKey.expiresAt);
  });

  it('is null on a new key', async () => {
    const res = await t.call(
      t.account.primary.secret,
      'mutation { createApiKey(input: { name: "fresh", permissions: [] }) { previousKeyExpiresAt } }',
    );
    expect(dataOf(res).createApiKey.previousKeyExpiresAt).toBeNull();
  });

  it('viewer tells a caller presenting the old value during its grace period, and until when it works', async () => {
    const key = await t.seed.key(t.account.primary.secret, { permissions: ['LEADS_READ'] });
    const rotated = await reset(key.id, 3600);

    const old = (await t.data(key.secret, VIEWER)).viewer;
    expect(old).toEqual({
      principal: 'ADMIN_KEY',
      prefix: rotated.apiKey.prefix,
      usingPreviousKeyValue: true,
      previousKeyExpiresAt: rotated.previousKeyExpiresAt,
      apiKey: { id: key.id },
    });

    const current = (await t.data(rotated.secret, VIEWER)).viewer;
    expect(current).toMatchObject({ usingPreviousKeyValue: false, previousKeyExpiresAt: null, apiKey: { id: key.id } });
    // Asked again after the new value: each value keeps its own answer.
    expect((await t.data(key.secret, VIEWER)).viewer.usingPreviousKeyValue).toBe(true);

    t.clock.advance(HOUR + 1000);
    expect((await t.call(key.secret, VIEWER)).status).toBe(401);
  });

  it('viewer says false for every other caller', async () => {
    const anonymous = dataOf(await t.call(undefined, '{ viewer { principal usingPreviousKeyValue previousKeyExpiresAt } }')).viewer;
    expect(anonymous).toMatchObject({ principal: 'ANONYMOUS', usingPreviousKeyValue: false, previousKeyExpiresAt: null });
    const operator = await t.data(t.operatorToken, '{ viewer { usingPreviousKeyValue } }');
    expect(operator.viewer.usingPreviousKeyValue).toBe(false);
  });
});
