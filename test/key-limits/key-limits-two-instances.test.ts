import { settles } from '../support/settles';
import { dataOf, graphql } from '../support/graphql';
import { useSpawnedServers } from '../support/harness';
import { ServerProcess } from '../support/server-process';
import { CREATE_KEY, VERIFY_LIMITS } from './key-limits.fixtures';

/**
 * Named limits are exact across instances sharing a Redis, and a refused
 * use charges nothing there either. Runs only with TEST_DATABASE_URL and
 * TEST_REDIS_URL, like test/scale-out. Day-long windows: none ends during
 * the test (they end at 00:00 UTC).
 */
const shared = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);

(shared ? describe : describe.skip)('named rate limits across two instances', () => {
  const t = useSpawnedServers([{ LAST_USED_FLUSH_SECONDS: '0.2' }, { LAST_USED_FLUSH_SECONDS: '0.2' }]);
  const [a, b] = t.instances;
  const either = (i: number): ServerProcess => (i % 2 === 0 ? a : b);

  async function keyWith(input: Record<string, unknown>) {
    const res = await graphql(a.url, {
      as: t.account.primary.secret,
      query: CREATE_KEY,
      variables: { input: { name: 'limited', ...input } },
    });
    const { secret, apiKey } = dataOf(res).createApiKey;
    return { id: apiKey.id as string, secret: secret as string };
  }

  const verify = (on: ServerProcess, key: string, options: Record<string, unknown> = {}) =>
    graphql(on.url, { as: t.operatorToken, query: VERIFY_LIMITS, variables: { key, ...options } }).then((res) => dataOf(res).verifyApiKey);

  it('100 concurrent verifications of a key limited to 50 a day, half on each, give exactly 50 VALID', async () => {
    const key = await keyWith({ rateLimits: [{ name: 'calls', limit: 50, durationSeconds: 86400 }] });
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => verify(either(i), key.secret)));
    expect(answers.filter((v) => v.code === 'VALID')).toHaveLength(50);
    expect(answers.filter((v) => v.code === 'RATE_LIMITED')).toHaveLength(50);
  });

  it('limits and credits together: the refused charge nothing, so the credits spent are exactly the uses admitted', async () => {
    const key = await keyWith({ remaining: 30, rateLimits: [{ name: 'calls', limit: 20, durationSeconds: 86400 }] });
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => verify(either(i), key.secret)));
    expect(answers.filter((v) => v.code === 'VALID')).toHaveLength(20);
    const state = await verify(b, key.secret, { cost: 0, rateLimits: [{ name: 'calls', cost: 0 }] });
    expect([state.remaining, state.rateLimits[0].remaining]).toEqual([10, 0]);
    const row = () =>
      graphql(a.url, {
        as: t.account.primary.secret,
        query: 'query($id: ID!) { apiKey(id: $id) { remaining } }',
        variables: { id: key.id },
      }).then((res) => dataOf(res).apiKey.remaining);
    expect(await settles(row, 10)).toBe(10);
  });
});
