import { graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { TEST_JWT_SECRET } from '../support/user-tokens';
import { DAY, developerOf, flushUsage, HOUR, keyUsage, keyUsageCall, USAGE_TEST_CONFIG, verifyCode } from './usage.fixtures';

/*
 * Counts land in the hour of the server's clock when they happen; HOUR
 * answers them hour by hour, DAY sums them per UTC day. The clock is moved
 * to just after a UTC midnight first, so the hours below share a day.
 */
describe('usage by hour and by day', () => {
  const t = useTestServer({ ...USAGE_TEST_CONFIG, authJwtSecret: TEST_JWT_SECRET });
  let developer: string;
  let key: { id: string; secret: string };
  let day: number;

  beforeAll(async () => {
    const account = await t.seed.account();
    developer = await developerOf(account.id);
    key = await t.seed.key(account.primary.secret);
    const now = t.clock.now();
    day = now - (now % DAY) + DAY;
    t.clock.advance(day + 30 * 60_000 - now);
    for (let i = 0; i < 2; i++) await verifyCode(t, developer, key.secret);
    t.clock.advance(HOUR);
    for (let i = 0; i < 3; i++) await verifyCode(t, developer, key.secret);
    t.clock.advance(DAY);
    await verifyCode(t, developer, key.secret);
    await flushUsage(t);
  });

  const at = (ms: number) => new Date(ms).toISOString();

  it('answers HOUR buckets on the hour, oldest first, leaving out the hours with no uses', async () => {
    expect(await keyUsage(t, developer, key.id, { from: day, to: day + 2 * DAY })).toEqual([
      { start: at(day), outcome: 'VALID', count: 2 },
      { start: at(day + HOUR), outcome: 'VALID', count: 3 },
      { start: at(day + DAY + HOUR), outcome: 'VALID', count: 1 },
    ]);
  });

  it('answers DAY buckets at 00:00 UTC, summing their hours', async () => {
    expect(await keyUsage(t, developer, key.id, { from: day, to: day + 2 * DAY, interval: 'DAY' })).toEqual([
      { start: at(day), outcome: 'VALID', count: 5 },
      { start: at(day + DAY), outcome: 'VALID', count: 1 },
    ]);
  });

  it('starts with the bucket holding `from` and stops before `to`', async () => {
    // From 00:45 the 00:00 hour is in; to 01:00 the 01:00 hour is out.
    expect(await keyUsage(t, developer, key.id, { from: day + 45 * 60_000, to: day + HOUR })).toEqual([
      { start: at(day), outcome: 'VALID', count: 2 },
    ]);
    // From midday, the day's bucket (at its midnight) is whole.
    expect(await keyUsage(t, developer, key.id, { from: day + 12 * HOUR, to: day + DAY, interval: 'DAY' })).toEqual([
      { start: at(day), outcome: 'VALID', count: 5 },
    ]);
  });

  it.each([
    ['left out', ''],
    ['null', ', interval: null'],
  ])('answers HOUR with the interval %s', async (_, interval) => {
    const res = await graphql(t.url, {
      as: developer,
      query: `query($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { apiKey(id: $id) { usage(from: $from, to: $to${interval}) { start count } } }`,
      variables: { id: key.id, from: at(day), to: at(day + 2 * HOUR) },
    });
    expect(res.data?.apiKey.usage).toEqual([
      { start: at(day), count: 2 },
      { start: at(day + HOUR), count: 3 },
    ]);
  });

  it.each([
    ['`to` equal to `from`', { from: 0, to: 0 }, 'to'],
    ['`to` before `from`', { from: 0, to: -HOUR }, 'to'],
    ['a range longer than the 90-day retention', { from: -91 * DAY, to: 0, interval: 'DAY' as const }, 'from'],
    ['more than 2,000 hourly buckets (84 days)', { from: -84 * DAY, to: 0 }, 'interval'],
  ])('refuses %s with BAD_USER_INPUT naming the argument', async (_, offsets, field) => {
    const res = await keyUsageCall(t, developer, key.id, { ...offsets, from: day + offsets.from, to: day + offsets.to });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(res.errors?.[0]?.message).toMatch(field === 'interval' ? /DAY/ : /`?(to|from)`?/);
  });

  it('answers 84 days by DAY, and 83 days by HOUR', async () => {
    expect((await keyUsageCall(t, developer, key.id, { from: day - 84 * DAY, to: day, interval: 'DAY' })).errors).toBeUndefined();
    expect((await keyUsageCall(t, developer, key.id, { from: day - 83 * DAY, to: day })).errors).toBeUndefined();
  });
});
