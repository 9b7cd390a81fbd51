import { graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { TEST_JWT_SECRET } from '../support/user-tokens';
import { byOutcome, developerOf, flushUsage, keyUsage, requestWith, thisHour, USAGE_TEST_CONFIG, verifyCode } from './usage.fixtures';

const CREATE_KEY = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }';

/*
 * The refusals that come from the platform's own settings on a key: its
 * scopes, its credits and its named limits. Each counts under the answer's
 * code, for verifications and requests alike.
 */
describe('usage of keys with scopes, credits and named limits', () => {
  const t = useTestServer({ ...USAGE_TEST_CONFIG, authJwtSecret: TEST_JWT_SECRET });

  async function keyWith(developer: string, input: Record<string, unknown>) {
    const res = await graphql(t.url, { as: developer, query: CREATE_KEY, variables: { input: { name: 'platform', ...input } } });
    const created = res.data?.createApiKey;
    if (!created) throw new Error(`createApiKey failed: ${JSON.stringify(res.errors)}`);
    return { id: created.apiKey.id as string, secret: created.secret as string };
  }

  it('counts INSUFFICIENT_SCOPE for a verification requiring a scope the key lacks', async () => {
    const account = await t.seed.account();
    const developer = await developerOf(account.id);
    const defined = await graphql(t.url, {
      as: t.operatorToken,
      query: 'mutation { defineScope(input: { name: "invoices:read", description: "Read invoices", clientAssignable: false }) { name } }',
    });
    expect(defined.errors).toBeUndefined();
    const key = await keyWith(developer, { scopes: [] });
    const res = await graphql(t.url, {
      as: developer,
      query: 'query($key: String!) { verifyApiKey(key: $key, requiredScopes: ["invoices:read"]) { code } }',
      variables: { key: key.secret },
    });
    expect(res.data?.verifyApiKey.code).toBe('INSUFFICIENT_SCOPE');
    expect(await verifyCode(t, developer, key.secret)).toBe('VALID');
    await flushUsage(t);
    expect(byOutcome(await keyUsage(t, developer, key.id, thisHour(t)))).toEqual({ INSUFFICIENT_SCOPE: 1, VALID: 1 });
  });

  it('counts USAGE_EXCEEDED for requests and verifications once the credits are spent', async () => {
    const account = await t.seed.account();
    const developer = await developerOf(account.id);
    const key = await keyWith(developer, { remaining: 1 });
    expect(await requestWith(t, key.secret)).toBe(200);
    expect(await requestWith(t, key.secret)).toBe(429);
    expect(await verifyCode(t, developer, key.secret)).toBe('USAGE_EXCEEDED');
    await flushUsage(t);
    expect(byOutcome(await keyUsage(t, developer, key.id, thisHour(t)))).toEqual({ VALID: 1, USAGE_EXCEEDED: 2 });
  });

  it("counts RATE_LIMITED for a request refused by one of the key's named limits", async () => {
    const account = await t.seed.account();
    const developer = await developerOf(account.id);
    const key = await keyWith(developer, { rateLimits: [{ name: 'burst', limit: 1, durationSeconds: 3600 }] });
    expect(await requestWith(t, key.secret)).toBe(200);
    expect(await requestWith(t, key.secret)).toBe(429);
    await flushUsage(t);
    expect(byOutcome(await keyUsage(t, developer, key.id, thisHour(t)))).toEqual({ VALID: 1, RATE_LIMITED: 1 });
  });
});
