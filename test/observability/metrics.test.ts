import { rest } from '../rest/rest-client';
import { graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { setRateLimit } from '../rate-limits/rate-limit.fixtures';
import { sample } from '../support/prometheus';

describe('GET /metrics', () => {
  const t = useTestServer();
  const scrape = async () => {
    const res = await fetch(new URL('/metrics', t.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  it('counts requests by route and status, and GraphQL operations by operation and status', async () => {
    const before = await scrape();
    await t.call(t.account.primary.secret, '{ viewer { principal } }');
    await t.call(t.account.primary.secret, '{ viewer { principal } permissions { name } }');
    await graphql(t.url, { as: t.account.primary.secret, query: '{ nope }', headers: { accept: 'application/graphql-response+json' } });
    await rest(t.url, { method: 'GET', path: '/api/v1/client/api-key', as: t.account.primary.secret });
    await rest(t.url, { method: 'DELETE', path: '/api/v1/client/api-key/12345', as: t.account.primary.secret });
    await fetch(new URL('/no/such/path', t.url));
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
    const revoked = await t.seed.key(t.account.primary.secret);
    await t.call(t.account.primary.secret, 'mutation($id: ID!) { revokeApiKey(id: $id) { prefix } }', { id: revoked.id });
    const before = await scrape();
    await t.call(revoked.secret, '{ viewer { principal } }');
    await t.call('sk_notakey', '{ viewer { principal } }');
    await t.call('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', '{ viewer { principal } }');
    await rest(t.url, { method: 'GET', path: '/api/v1/client/api-key', as: revoked.secret });
    const after = await scrape();
    const delta = (code: string) =>
      sample(after, 'keyward_authentication_failures_total', { code }) - sample(before, 'keyward_authentication_failures_total', { code });
    expect([delta('REVOKED'), delta('MALFORMED'), delta('INVALID_JWT')]).toEqual([2, 1, 1]);
  });

  it('counts rate-limited requests by pool, and times key verification', async () => {
    const tenant = await t.seed.account();
    await setRateLimit(t, tenant.id, 1);
    const before = await scrape();
    for (let i = 0; i < 3; i++) await t.call(tenant.primary.secret, '{ viewer { principal } }');
    const after = await scrape();
    expect(
      sample(after, 'keyward_rate_limited_total', { pool: 'account' }) - sample(before, 'keyward_rate_limited_total', { pool: 'account' }),
    ).toBe(2);
    const verified = (text: string) => sample(text, 'keyward_key_verification_duration_seconds_count', { result: 'VALID' });
    expect(verified(after) - verified(before)).toBe(3);
    expect(after).toMatch(/^keyward_key_verification_duration_seconds_bucket\{le="0\.001",result="VALID"\} \d+$/m);
  });

  it('reports key verification as a Prometheus histogram: cumulative buckets up to +Inf, which equals the count', async () => {
    for (let i = 0; i < 4; i++) await t.call(t.account.primary.secret, '{ viewer { principal } }');
    const text = await scrape();
    expect(text).toMatch(/^# TYPE keyward_key_verification_duration_seconds histogram$/m);
    const buckets = [...text.matchAll(/^keyward_key_verification_duration_seconds_bucket\{le="([^"]+)",result="VALID"\} (\d+)$/gm)];
    expect(buckets.map(([, le]) => le)).toEqual([
      ...['0.00001', '0.000025', '0.00005', '0.0001', '0.00025', '0.0005', '0.001', '0.0025', '0.005', '0.01'],
      ...['0.025', '0.05', '0.1', '0.25', '1', '+Inf'],
    ]);
    const counts = buckets.map(([, , count]) => Number(count));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    const count = sample(text, 'keyward_key_verification_duration_seconds_count', { result: 'VALID' });
    expect(count).toBeGreaterThanOrEqual(4);
    expect(counts[counts.length - 1]).toBe(count);
    const sum = sample(text, 'keyward_key_verification_duration_seconds_sum', { result: 'VALID' });
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(count);
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
