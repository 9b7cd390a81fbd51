import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Metrics } from '../../src/observability/metrics';
import { leaseSize, MAX_LEASE } from '../../src/rate-limits/pool-leases';
import { RateLimitPool } from '../../src/rate-limits/rate-limit-pool';
import { RateLimitService, RateLimitState } from '../../src/rate-limits/rate-limit.service';

/**
 * The pool counters as the services use them, with leases: a busy pool
 * settles most charges in memory, and still admits exactly its limit on one
 * instance and never more than its limit across instances sharing Redis.
 */
describe('rate-limit leases', () => {
  const services: RateLimitService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });

  function service(options: { redisUrl?: string; keyPrefix?: string; windowSeconds?: number } = {}): RateLimitService {
    const created = new RateLimitService(
      {
        redisUrl: options.redisUrl,
        keyPrefix: options.keyPrefix ?? `lease-test-${randomBytes(4).toString('hex')}`,
        windowSeconds: options.windowSeconds ?? 60,
      },
      new Metrics(),
    );
    services.push(created);
    return created;
  }

  const pool = (limit: number, key = `account:${randomBytes(4).toString('hex')}`): RateLimitPool => ({ key, kind: 'account', limit });

  /** `count` charges of one point, `concurrency` at a time, spread over the services in turn. */
  async function charge(over: RateLimitService[], target: RateLimitPool, count: number, concurrency = 10): Promise<RateLimitState[]> {
    const states: RateLimitState[] = [];
    for (let start = 0; start < count; start += concurrency) {
      const batch = Array.from({ length: Math.min(concurrency, count - start) }, (_, i) =>
        over[(start + i) % over.length].charge(target, 1),
      );
      states.push(...(await Promise.all(batch)));
    }
    return states;
  }

  it('admit exactly the limit on one instance, with Remaining counting down to 0', async () => {
    const limits = service();
    const target = pool(1000);
    const states = await charge([limits], target, 1100, 1);
    expect(states.filter((s) => s.allowed)).toHaveLength(1000);
    expect(states.slice(0, 1000).every((s) => s.allowed)).toBe(true);
    expect(states.slice(0, 1000).map((s) => s.remaining)).toEqual(Array.from({ length: 1000 }, (_, i) => 999 - i));
    expect(states.slice(1000).every((s) => !s.allowed && s.remaining === 0)).toBe(true);
    expect(await limits.peek(target)).toMatchObject({ remaining: 0, allowed: false });
  });

  it('settle a busy pool in memory: all but one charge in MAX_LEASE + 1 answer without a promise', async () => {
    const limits = service();
    const target = pool(100_000);
    let immediate = 0;
    const charges = 3 * (MAX_LEASE + 1);
    for (let i = 0; i < charges; i++) {
      const answer = limits.charge(target, 1);
      if (!(answer instanceof Promise)) immediate++;
      await answer;
    }
    expect(immediate).toBe(charges - 3);
    expect(await limits.peek(target)).toMatchObject({ remaining: 100_000 - charges });
  });

  it("apply a pool's lowered limit at once, lease or not", async () => {
    const limits = service();
    const target = pool(1000);
    await charge([limits], target, 5, 1);
    const lowered = { ...target, limit: 5 };
    expect(await limits.charge(lowered, 1)).toMatchObject({ allowed: false, remaining: 0 });
  });

  it('end with their window: the next window starts full', async () => {
    const limits = service({ windowSeconds: 1 });
    const target = pool(100);
    expect((await charge([limits], target, 120, 1)).filter((s) => s.allowed)).toHaveLength(100);
    await sleep(1100);
    expect(await limits.charge(target, 1)).toMatchObject({ allowed: true, remaining: 99 });
  });

  (process.env.TEST_REDIS_URL ? describe : describe.skip)('shared through Redis', () => {
    it('never admit more than the limit across instances, and hold back at most a lease each', async () => {
      const keyPrefix = `lease-test-${randomBytes(4).toString('hex')}`;
      const instances = [1, 2, 3].map(() => service({ redisUrl: process.env.TEST_REDIS_URL, keyPrefix }));
      // Until Redis is ready, an instance counts in memory rather than wait (as a starting server does).
      await Promise.all(instances.map((s) => s.connected()));
      const target = pool(1000);
      const states = await charge(instances, target, 1300, 12);
      const admitted = states.filter((s) => s.allowed).length;
      expect(admitted).toBeLessThanOrEqual(1000);
      // A lease is never more than a thirty-second of what the pool had left.
      expect(admitted).toBeGreaterThanOrEqual(1000 - instances.length * leaseSize(1000));
    });
  });
});
