import { codeOf, dataOf, GraphQLResponse } from '../support/graphql';
import { SeededAccount } from '../support/seed';
import { useTestServer } from '../support/harness';

const PLAYGROUND = 'mutation { createPlaygroundKey { secret apiKey { id name isPlayground } } }';
const CREATE = 'mutation($name: String!) { createApiKey(input: { name: $name, permissions: [] }) { apiKey { id isPlayground } } }';
const KEY_LIMIT = 25;
const PLAYGROUND_KEY_LIMIT = 10;
const HOUR = 60 * 60 * 1000;

describe('playground keys have an allowance of their own', () => {
  const t = useTestServer({}, { account: false });

  const generate = (as: string) => t.call(as, PLAYGROUND);
  const create = (as: string, name = 'real key') => t.call(as, CREATE, { name });

  async function generateTimes(as: string, times: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < times; i++) ids.push(dataOf(await generate(as)).createPlaygroundKey.apiKey.id);
    return ids;
  }

  function expectLimit(res: GraphQLResponse, limit: number, path: string): void {
    expect(codeOf(res)).toBe('LIMIT_EXCEEDED');
    expect(res.errors?.[0].extensions?.limit).toBe(limit);
    expect(res.errors?.[0].path).toEqual([path]);
  }

  it('pressing "Generate test token" again and again never uses up the real keys', async () => {
    const account: SeededAccount = await t.seed.account();
    await generateTimes(account.primary.secret, PLAYGROUND_KEY_LIMIT);

    const refused = await generate(account.primary.secret);
    expectLimit(refused, PLAYGROUND_KEY_LIMIT, 'createPlaygroundKey');
    expect(refused.errors?.[0].message).toMatch(/10 live playground keys/);

    // All 24 real keys next to the primary still fit, and the 26th is refused as ever.
    for (let i = 1; i < KEY_LIMIT; i++)
      expect(dataOf(await create(account.primary.secret, `real ${i}`)).createApiKey.apiKey.isPlayground).toBe(false);
    expectLimit(await create(account.primary.secret), KEY_LIMIT, 'createApiKey');
  });

  it('a full set of real keys leaves room for playground keys', async () => {
    const account = await t.seed.account();
    for (let i = 1; i < KEY_LIMIT; i++) dataOf(await create(account.primary.secret, `real ${i}`));
    expect(dataOf(await generate(account.primary.secret)).createPlaygroundKey.apiKey).toMatchObject({
      name: 'Docs playground (temp)',
      isPlayground: true,
    });
  });

  it('expired playground keys count for nothing, and a revoked one frees its place at once', async () => {
    const account = await t.seed.account();
    const [first] = await generateTimes(account.primary.secret, PLAYGROUND_KEY_LIMIT);
    dataOf(await t.call(account.primary.secret, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: first }));
    dataOf(await generate(account.primary.secret));
    expectLimit(await generate(account.primary.secret), PLAYGROUND_KEY_LIMIT, 'createPlaygroundKey');

    t.clock.advance(HOUR + 1000);
    await generateTimes(account.primary.secret, PLAYGROUND_KEY_LIMIT);
  });

  it('a renamed playground key is still a playground key', async () => {
    const account = await t.seed.account();
    const [id] = await generateTimes(account.primary.secret, 1);
    const renamed = await t.call(
      account.primary.secret,
      'mutation($id: ID!) { renameApiKey(id: $id, name: "my real key now") { isPlayground } }',
      { id },
    );
    expect(dataOf(renamed).renameApiKey.isPlayground).toBe(true);
    for (let i = 1; i < KEY_LIMIT; i++) dataOf(await create(account.primary.secret, `real ${i}`));
    expectLimit(await create(account.primary.secret), KEY_LIMIT, 'createApiKey');
  });

  it('holds under concurrent presses: exactly 10 of 20', async () => {
    const account = await t.seed.account();
    const answers = await Promise.all(Array.from({ length: 20 }, () => generate(account.primary.secret)));
    expect(answers.filter((res) => !res.errors).length).toBe(PLAYGROUND_KEY_LIMIT);
    for (const res of answers.filter((r) => r.errors)) expect(codeOf(res)).toBe('LIMIT_EXCEEDED');
  });
});
