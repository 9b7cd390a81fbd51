import { createHash } from 'node:crypto';
import { useTestServer } from '../support/harness';
import { capturedLogs } from '../support/logs';

const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const PINO_ERROR = 50;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Requests Apollo refuses before running them are the client's mistake: each
 * answers its 4xx with a code that says what was wrong, and none is logged as
 * a fault of ours (an anonymous client could otherwise flood the error log).
 */
interface LogLine {
  level: number;
  msg: string;
  res?: { statusCode: number };
}

describe('request errors Apollo raises itself', () => {
  const logs = capturedLogs();
  const t = useTestServer({}, { logger: logs.logger });

  async function post(body: unknown, headers: Record<string, string> = {}) {
    const before = logs.lines.length;
    const res = await fetch(new URL('/graphql', t.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { data?: unknown; errors: Array<{ message: string; extensions: { code: string } }> };
    const logged: LogLine[] = logs.lines.slice(before).map((line) => JSON.parse(line));
    return { status: res.status, body: json, logged };
  }

  function expectNoErrorLine(logged: LogLine[]): void {
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.filter((line) => line.level >= PINO_ERROR)).toEqual([]);
  }

  const query = '{ __typename }';

  it.each([
    ['anonymously', (): Record<string, string> => ({})],
    ['with a key', (): Record<string, string> => ({ authorization: `Bearer ${t.account.primary.secret}` })],
  ])('a persisted-query hash that does not match its query, %s: 400 BAD_REQUEST, logged below error', async (_who, headers) => {
    const res = await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ other }') } } }, headers());
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } }]);
    expectNoErrorLine(res.logged);
  });

  it('an unsupported persisted-query version: 400 PERSISTED_QUERY_NOT_SUPPORTED, logged below error', async () => {
    const res = await post({ query, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(query) } } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { message: 'Unsupported persisted query version', extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } },
    ]);
    expectNoErrorLine(res.logged);
  });

  it('a matching persisted query still registers and runs by its hash alone', async () => {
    const text = '{ permissions { name } }';
    const registered = await post({ query: text, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(text) } } });
    expect(registered.status).toBe(200);
    const byHash = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(text) } } });
    expect(byHash.status).toBe(200);
    expect(byHash.body.errors).toBeUndefined();
  });

  describe('a subscription (keyward has no Subscription type) fails validation, as graphql-js 17 has it', () => {
    const subscription = { query: 'subscription { viewer { principal } }' };

    it('under application/graphql-response+json: 400 GRAPHQL_VALIDATION_FAILED, nothing ran, logged below error', async () => {
      const res = await post(subscription, { accept: GRAPHQL_RESPONSE, authorization: `Bearer ${t.account.primary.secret}` });
      expect(res.status).toBe(400);
      expect(res.body).not.toHaveProperty('data');
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0]).toMatchObject({
        message: 'The subscription operation is not supported by this server.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
      expectNoErrorLine(res.logged);
    });

    it('under application/json: 200 as for every validation error (GraphQL over HTTP), the same code', async () => {
      const res = await post(subscription);
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty('data');
      expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expectNoErrorLine(res.logged);
    });
  });
});
