import { randomBytes } from 'node:crypto';
import { Metrics } from '../../src/observability/metrics';
import { leaseSize } from '../../src/rate-limits/pool-leases';
import { RateLimitPool } from '../../src/rate-limits/rate-limit-pool';
import { RateLimitService } from '../../src/rate-limits/rate-limit.service';
import { useTestServer } from '../support/harness';
import { rateLimitHeaders, setRateLimit } from './rate-limit.fixtures';

/**
 * A burst of concurrent requests on one pool: N at once on a pool with L
 * left admit min(N, L), less at most one lease per instance, and leave the
 * rest of the pool open, in memory and through Redis, on one instance and two.
 */
describe('rate limits under a concurrent burst', () => {
  const redisUrl = process.env.TEST_REDIS_URL;
  const services: RateLimitService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });

  /** `count` services sharing one store: Redis when the tests have one, otherwise one instance in memory. */
  async function instances(count: number): Promise<RateLimitService[]> {
    const keyPrefix = `burst-test-${randomBytes(4).toString('hex')}`;
    const created = Array.from({ length: count }, () => new RateLimitService({ redisUrl, keyPrefix, windowSeconds: 60 }, new Metrics()));
    services.push(...created);
    await Promise.all(created.map((s) => s.connected()));
    return created;
  }

  const pool = (limit: number): RateLimitPool => ({ key: `account:${randomBytes(4).toString('hex')}`, kind: 'account', limit });

  /** `count` charges of one point at once, spread over the instances in turn; how many were admitted. */
  async function burst(over: RateLimitService[], target: RateLimitPool, count: number): Promise<number> {
    const states = await Promise.all(Array.from({ length: count }, (_, i) => over[i % over.length].charge(target, 1)));
    return states.filter((s) => s.allowed).length;
  }

  it('admit every request of a burst smaller than what the pool has left, and leave the rest open', async () => {
    const [limits] = await instances(1);
    const target = pool(1000);
    expect(await burst([limits], target, 200)).toBe(200);
    expect(await limits.peek(target)).toMatchObject({ remaining: 800, allowed: true });
    expect(await burst([limits], target, 800)).toBe(800);
    expect(await burst([limits], target, 10)).toBe(0);
  });

  it('admit exactly what is left when the burst is larger than that', async () => {
    const [limits] = await instances(1);
    const target = pool(100);
    expect(await burst([limits], target, 300)).toBe(100);
  });

  (redisUrl ? describe : describe.skip)('on two instances sharing Redis', () => {
    it('admit a burst smaller than what is left, less at most one lease per instance', async () => {
      const pair = await instances(2);
      const target = pool(1000);
      const admitted = await burst(pair, target, 200);
      expect(admitted).toBeLessThanOrEqual(200);
      expect(admitted).toBeGreaterThanOrEqual(200 - 2 * leaseSize(1000));
    });

    it('admit what is left of a larger burst, less at most one lease per instance, and never more', async () => {
      const pair = await instances(2);
      const target = pool(300);
      const admitted = await burst(pair, target, 1000);
      expect(admitted).toBeLessThanOrEqual(300);
      expect(admitted).toBeGreaterThanOrEqual(300 - 2 * leaseSize(300));
    });
  });

  describe('through HTTP', () => {
    const t = useTestServer({}, { account: false });

    it('200 concurrent requests of one key on an account at 1,000 a minute all succeed, and 799 remain', async () => {
      const account = await t.seed.account();
      await setRateLimit(t, account.id, 1000);
      const answers = await Promise.all(Array.from({ length: 200 }, () => t.call(account.primary.secret, '{ viewer { principal } }')));
      expect(answers.map((a) => a.status).filter((status) => status !== 200)).toEqual([]);
      // The operator's updateAccount cost the account nothing; creating it cost nothing either.
      const after = await t.call(account.primary.secret, '{ viewer { principal } }');
      expect(after.status).toBe(200);
      expect(rateLimitHeaders(after.headers).remaining).toBe(799);
    });
  });
});
