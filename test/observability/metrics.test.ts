import { rest } from '../rest/rest-client';
import { graphql } from '../support/graphql';
import { Seed, SeededAccount } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';
import { setRateLimit } from '../rate-limits/rate-limit.fixtures';
import { sample } from '../support/prometheus';

describe('GET /metrics', () => {
  let server: TestServer;
  let account: SeededAccount;
  const scrape = async () => {
    const res = await fetch(new URL('/metrics', server.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  beforeAll(async () => {
    server = await startTestServer();
    account = await new Seed(server).account();
  });
  afterAll(() => server.stop());

  it('counts requests by route and status, and GraphQL operations by operation and status', async () => {
    const before = await scrape();
    await graphql(server.url, { as: account.primary.secret, query: '{ viewer { principal } }' });
    await graphql(server.url, { as: account.primary.secret, query: '{ viewer { principal } permissions { name } }' });
    await graphql(server.url, { as: account.primary.secret, query: '{ nope }', headers: { accept: 'application/graphql-response+json' } });
    await rest(server.url, { method: 'GET', path: '/api/v1/client/api-key', as: account.primary.secret });
    await rest(server.url, { method: 'DELETE', path: '/api/v1/client/api-key/12345', as: account.primary.secret });
    await fetch(new URL('/no/such/path', server.url));
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);

    expect(delta('keyward_http_requests_total', { method: 'POST', route: '/graphql', status: '200' })).toBeGreaterThanOrEqual(2);
    expect(delta('keyward_http_requests_total', { method: 'POST', route: '/graphql', status: '400' })).toBe(1);
    expect(delta('keyward_http_requests_total', { method: 'GET', route: '/api/v1/client/api-key', status: '200' })).toBe(1);
    expect(delta('keyward_http_requests_total', { method: 'DELETE', route: '/api/v1/client/api-key/:id', status: '404' })).toBe(1);
    expect(delta('keyward_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(delta('keyward_graphql_operations_total', { operation: 'query viewer', status: '200' })).toBe(1);
    expect(delta('keyward_graphql_operations_total', { operation: 'query multiple', status: '200' })).toBe(1);
    expect(delta('keyward_graphql_operations_total', { operation: 'unresolved', status: '400' })).toBe(1);
  });

  it('counts authentication failures by reason', async () => {
    const seed = new Seed(server);
    const revoked = await seed.key(account.primary.secret);
    await graphql(server.url, {
      as: account.primary.secret,
      query: 'mutation($id: ID!) { revokeApiKey(id: $id) { prefix } }',
      variables: { id: revoked.id },
    });
    const before = await scrape();
    await graphql(server.url, { as: revoked.secret, query: '{ viewer { principal } }' });
    await graphql(server.url, { as: 'sk_notakey', query: '{ viewer { principal } }' });
    await graphql(server.url, { as: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', query: '{ viewer { principal } }' });
    await rest(server.url, { method: 'GET', path: '/api/v1/client/api-key', as: revoked.secret });
    const after = await scrape();
    const delta = (code: string) =>
      sample(after, 'keyward_authentication_failures_total', { code }) - sample(before, 'keyward_authentication_failures_total', { code });
    expect([delta('REVOKED'), delta('MALFORMED'), delta('INVALID_JWT')]).toEqual([2, 1, 1]);
  });

  it('counts rate-limited requests by pool, and times key verification', async () => {
    const tenant = await new Seed(server).account();
    await setRateLimit(server, tenant.id, 1);
    const before = await scrape();
    for (let i = 0; i < 3; i++) await graphql(server.url, { as: tenant.primary.secret, query: '{ viewer { principal } }' });
    const after = await scrape();
    expect(
      sample(after, 'keyward_rate_limited_total', { pool: 'account' }) - sample(before, 'keyward_rate_limited_total', { pool: 'account' }),
    ).toBe(2);
    const verified = (text: string) => sample(text, 'keyward_key_verification_duration_seconds_count', { result: 'VALID' });
    expect(verified(after) - verified(before)).toBe(3);
    expect(after).toMatch(/^keyward_key_verification_duration_seconds_bucket\{le="0\.001",result="VALID"\} \d+$/m);
  });

  it('exposes the verified-key cache hit ratio and the process metrics', async () => {
    const text = await scrape();
    expect(text).toMatch(/^# TYPE keyward_key_cache_hit_ratio gauge$/m);
    const ratio = sample(text, 'keyward_key_cache_hit_ratio');
    expect(ratio).toBeGreaterThanOrEqual(0);
    expect(ratio).toBeLessThanOrEqual(1);
    expect(text).toMatch(/^# TYPE keyward_key_cache_lookups_total counter$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});
