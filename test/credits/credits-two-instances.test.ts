import { settles } from '../support/settles';
import { codeOf, dataOf, graphql } from '../support/graphql';
import { useSpawnedServers } from '../support/harness';
import { ServerProcess } from '../support/server-process';
import { CREATE_KEY, KEY, UPDATE_KEY, VERIFY_COSTING } from './credits.fixtures';

/**
 * Credits are exact across instances sharing a Redis: one script call
 * judges and charges each use, and the count is written behind. Like
 * test/scale-out, this runs only with TEST_DATABASE_URL and TEST_REDIS_URL.
 */
const shared = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);

(shared ? describe : describe.skip)('usage credits across two instances', () => {
  const t = useSpawnedServers([{ LAST_USED_FLUSH_SECONDS: '0.2' }, { LAST_USED_FLUSH_SECONDS: '0.2' }]);
  const [a, b] = t.instances;
  const either = (i: number): ServerProcess => (i % 2 === 0 ? a : b);

  async function keyWith(input: Record<string, unknown>) {
    const res = await graphql(a.url, {
      as: t.account.primary.secret,
      query: CREATE_KEY,
      variables: { input: { name: 'metered', ...input } },
    });
    const { secret, apiKey } = dataOf(res).createApiKey;
    return { id: apiKey.id as string, secret: secret as string };
  }

  const verify = (on: ServerProcess, key: string) =>
    graphql(on.url, { as: t.operatorToken, query: VERIFY_COSTING, variables: { key } }).then((res) => dataOf(res).verifyApiKey);

  it('100 concurrent verifications of a key with 50 credits, half on each, give exactly 50 VALID', async () => {
    const key = await keyWith({ remaining: 50 });
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => verify(either(i), key.secret)));
    expect(answers.filter((v) => v.code === 'VALID')).toHaveLength(50);
    expect(answers.filter((v) => v.code === 'USAGE_EXCEEDED')).toHaveLength(50);
  });

  it('requests on both draw from one balance: exactly as many 200s as credits, the rest 429 USAGE_EXCEEDED; the row follows', async () => {
    const key = await keyWith({ remaining: 10, permissions: ['KEYS_READ'] });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => graphql(either(i).url, { as: key.secret, query: '{ viewer { prefix } }' })),
    );
    expect(answers.filter((res) => res.status === 200)).toHaveLength(10);
    expect(answers.filter((res) => res.status === 429 && codeOf(res) === 'USAGE_EXCEEDED')).toHaveLength(20);
    const remaining = () =>
      graphql(a.url, { as: t.account.primary.secret, query: KEY, variables: { id: key.id } }).then((res) => dataOf(res).apiKey.remaining);
    expect(await settles(remaining, 0)).toBe(0);
  });

  it('updateApiKey of remaining on A starts the count again on both', async () => {
    const key = await keyWith({ remaining: 2 });
    await Promise.all([verify(a, key.secret), verify(b, key.secret)]);
    expect((await verify(b, key.secret)).code).toBe('USAGE_EXCEEDED');
    await graphql(a.url, { as: t.account.primary.secret, query: UPDATE_KEY, variables: { id: key.id, input: { remaining: 6 } } }).then(
      dataOf,
    );
    // B drops the key from its cache within a second (test/scale-out); then both count from 6.
    await settles(() => verify(b, key.secret).then((v) => v.code), 'VALID', { timeoutMs: 3_000, everyMs: 50 });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => verify(either(i), key.secret)));
    expect(answers.filter((v) => v.code === 'VALID')).toHaveLength(5);
  });
});
