import { randomBytes } from 'node:crypto';
import { Metrics } from '../../src/observability/metrics';
import { RateLimitPool } from '../../src/rate-limits/rate-limit-pool';
import { RateLimitService } from '../../src/rate-limits/rate-limit.service';
import { BUCKETS_PER_WINDOW } from '../../src/rate-limits/sliding-windows';
import { rest } from '../rest/rest-client';
import { runCliCaptured } from '../support/cli';
import { codeOf, dataOf, graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { SeededAccount } from '../support/seed';
import { TestServer, withTestServer } from '../support/server';
import { TEST_JWT_SECRET, userToken } from '../support/user-tokens';
import { verifyByRest } from '../verify/verify.fixtures';
import { rateLimitHeaders } from './rate-limit.fixtures';

const VIEWER = '{ viewer { principal } }';
const WINDOW_MS = 60_000;
const BUCKET_MS = WINDOW_MS / BUCKETS_PER_WINDOW;

/** The operator sets an account's plan: its limit and how it counts its window. */
async function setPlan(server: { url: string; operatorToken: string }, accountId: string, input: object): Promise<any> {
  return dataOf(
    await graphql(server.url, {
      as: server.operatorToken,
      query:
        'mutation($id: ID!, $input: UpdateAccountInput!) { updateAccount(id: $id, input: $input) { id rateLimitPerMinute rateLimitWindow } }',
      variables: { id: accountId, input },
    }),
  ).updateAccount;
}

/** Moves a server's clock to just after the start of the next bucket, so a test knows where bucket edges fall. */
function alignToBucket(server: { clock: { now(): number; advance(ms: number): void } }): void {
  const into = server.clock.now() % BUCKET_MS;
  server.clock.advance(BUCKET_MS - into + 5);
}

/** `count` requests one after another; their statuses. */
async function statuses(server: Pick<TestServer, 'call'>, as: string, count: number): Promise<number[]> {
  const seen = [];
  for (let i = 0; i < count; i++) seen.push((await server.call(as, VIEWER)).status);
  return seen;
}

const ok = (count: number) => Array<number>(count).fill(200);

/** The most admissions within any window-length interval: every admission starts one, with those after it. */
function mostInOneWindow(admittedAt: number[]): number {
  let most = 0;
  for (let i = 0, j = 0; i < admittedAt.length; i++) {
    while (j < admittedAt.length && admittedAt[j] < admittedAt[i] + WINDOW_MS) j++;
    most = Math.max(most, j - i);
  }
  return most;
}

describe('sliding windows (Account.rateLimitWindow SLIDING)', () => {
  const redisKeyPrefix = `keyward-test-${randomBytes(6).toString('hex')}`;
  const t = useTestServer({ authJwtSecret: TEST_JWT_SECRET, redisKeyPrefix }, { account: false });

  async function slidingAccount(limit: number): Promise<SeededAccount> {
    const account = await t.seed.account();
    await setPlan(t, account.id, { rateLimitPerMinute: limit, rateLimitWindow: 'SLIDING' });
    return account;
  }

  it('is a plan setting: FIXED by default, set by the operator at createAccount and updateAccount, audited, read by the account', async () => {
    const account = await t.seed.account();
    expect(dataOf(await t.call(account.primary.secret, '{ account { rateLimitWindow } }')).account.rateLimitWindow).toBe('FIXED');
    expect(await setPlan(t, account.id, { rateLimitWindow: 'SLIDING' })).toMatchObject({ rateLimitWindow: 'SLIDING' });
    expect(dataOf(await t.call(account.primary.secret, '{ account { rateLimitWindow } }')).account.rateLimitWindow).toBe('SLIDING');
    const audit = await t.data(
      account.primary.secret,
      '{ auditEvents(filter: { action: ACCOUNT_UPDATED }) { edges { node { details } } } }',
    );
    expect(audit.auditEvents.edges[0].node.details).toEqual({ rateLimitWindow: { from: 'FIXED', to: 'SLIDING' } });

    const created = await t.data(
      t.operatorToken,
      'mutation { createAccount(input: { name: "Sliding from birth", rateLimitWindow: SLIDING }) { account { rateLimitWindow } } }',
    );
    expect(created.createAccount.account.rateLimitWindow).toBe('SLIDING');

    // Only the operator sets the plan: the account's own primary key cannot.
    const own = await graphql(t.url, {
      as: account.primary.secret,
      query: 'mutation($id: ID!) { updateAccount(id: $id, input: { rateLimitWindow: FIXED }) { id } }',
      variables: { id: account.id },
    });
    expect(codeOf(own)).toBe('FORBIDDEN');
  });

  it('never admits more than the limit within one window length across its edge, and refused requests do not count', async () => {
    const { primary } = await slidingAccount(10);
    alignToBucket(t);
    expect(await statuses(t, primary.secret, 4)).toEqual(ok(4));
    t.clock.advance(50_000);
    expect(await statuses(t, primary.secret, 6)).toEqual(ok(6));
    // Ten within the last 50 s: the eleventh waits for the first four to leave the window.
    const refused = await t.call(primary.secret, VIEWER);
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    const headers = rateLimitHeaders(refused.headers);
    expect(headers).toMatchObject({ limit: 10, remaining: 0 });
    // The first four leave one window plus at most a bucket after they came: 10 to 11 s from now.
    expect(headers.retryAfter).toBeGreaterThanOrEqual(10);
    expect(headers.retryAfter).toBeLessThanOrEqual(11);
    expect(headers.reset).toBe(headers.retryAfter);

    // Knocking on, over and over: nothing of it counts.
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1_000);
      expect((await t.call(primary.secret, VIEWER)).status).toBe(429);
    }
    // Past the window edge a fixed window would have opened in full; here only the four that left come back.
    t.clock.advance(6_100);
    expect(await statuses(t, primary.secret, 5)).toEqual([...ok(4), 429]);
    // And the six of second 50 leave a window after they came.
    t.clock.advance(50_000);
    expect(await statuses(t, primary.secret, 7)).toEqual([...ok(6), 429]);
  });

  it('reports the window in the headers: Remaining counting down, Reset until the pool is full again', async () => {
    const { primary } = await slidingAccount(5);
    alignToBucket(t);
    const first = rateLimitHeaders((await t.call(primary.secret, VIEWER)).headers);
    expect(first).toMatchObject({ limit: 5, remaining: 4, retryAfter: null });
    t.clock.advance(30_000);
    const second = await t.call(primary.secret, VIEWER);
    expect(rateLimitHeaders(second.headers)).toMatchObject({ limit: 5, remaining: 3 });
    // Full again once the second request has left: a window (and at most a bucket) from now.
    expect(rateLimitHeaders(second.headers).reset).toBeGreaterThanOrEqual(60);
    expect(rateLimitHeaders(second.headers).reset).toBeLessThanOrEqual(61);
    expect(second.headers.get('ratelimit-policy')).toBe('"default";q=5;w=60');
    expect(second.headers.get('ratelimit')).toBe(`"default";r=3;t=${rateLimitHeaders(second.headers).reset}`);
  });

  it('counts the account pool, each client pool and each user pool apart, REST and verification included', async () => {
    const { id, primary } = await slidingAccount(3);
    const client = await t.seed.client(primary.secret);
    const clientKey = await t.seed.key(primary.secret, { clientId: client.id, permissions: ['KEYS_READ'] });
    alignToBucket(t);
    // The client's pool: its key's own requests (REST) and verifications of it share it.
    const restCall = () => rest(t.url, { method: 'GET', path: '/api/v1/client/api-key', as: clientKey.secret });
    expect((await restCall()).status).toBe(200);
    const verified = await verifyByRest(t, primary.secret, { key: clientKey.secret });
    expect(verified.body.data).toMatchObject({ valid: true, code: 'VALID', rate_limit: { limit: 3, remaining: 1 } });
    expect((await restCall()).status).toBe(200);
    const refused = await restCall();
    expect([refused.status, refused.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect((await verifyByRest(t, primary.secret, { key: clientKey.secret })).body.data.code).toBe('RATE_LIMITED');
    // A user's pool is their own.
    const token = await userToken({ sub: 'alice', account_id: id, roles: ['developer'] });
    expect(await statuses(t, token, 4)).toEqual([...ok(3), 429]);
    t.clock.advance(WINDOW_MS + BUCKET_MS);
    expect((await restCall()).status).toBe(200);
    expect(await statuses(t, token, 1)).toEqual(ok(1));
  });

  it('admit a concurrent burst smaller than the limit in full, Remaining counting it exactly', async () => {
    const { primary } = await slidingAccount(1000);
    alignToBucket(t);
    const answers = await Promise.all(Array.from({ length: 200 }, () => t.call(primary.secret, VIEWER)));
    expect(answers.map((a) => a.status).filter((status) => status !== 200)).toEqual([]);
    const after = await t.call(primary.secret, VIEWER);
    expect(rateLimitHeaders(after.headers)).toMatchObject({ limit: 1000, remaining: 799 });
  });

  it('switching back to FIXED applies to the next request', async () => {
    const { id, primary } = await slidingAccount(2);
    expect(await statuses(t, primary.secret, 3)).toEqual([...ok(2), 429]);
    await setPlan(t, id, { rateLimitWindow: 'FIXED' });
    // The fixed counter of the pool is a different one: it starts from what it had counted, nothing here.
    expect(await statuses(t, primary.secret, 3)).toEqual([...ok(2), 429]);
  });

  (process.env.TEST_REDIS_URL ? describe : describe.skip)('on two instances sharing Redis', () => {
    it('admit exactly the limit of concurrent requests between them, and exactly the limit again one window later', async () => {
      const account = await slidingAccount(30);
      await withTestServer({ databaseUrl: t.database.url, redisKeyPrefix }, async (other) => {
        // In production both read Redis's clock; here each server's test clock leads it by its own offset: make them agree.
        other.clock.advance(t.clock.now() - other.clock.now());
        const servers = [t, other];
        const burst = async (count: number) => {
          const answers = await Promise.all(Array.from({ length: count }, (_, i) => servers[i % 2].call(account.primary.secret, VIEWER)));
          return answers.filter((a) => a.status === 200).length;
        };
        expect(await burst(80)).toBe(30);
        // Both clocks move alike.
        const skip = (ms: number) => servers.forEach((s) => s.clock.advance(ms));
        skip(30_000);
        expect(await burst(20)).toBe(0);
        skip(WINDOW_MS - 30_000 + BUCKET_MS);
        expect(await burst(80)).toBe(30);
      });
    });
  });
});

describe('sliding windows when Redis is unreachable', () => {
  // Nothing listens on port 1: every Redis call fails at once and counting goes on in memory.
  const t = useTestServer({ redisUrl: 'redis://127.0.0.1:1' }, { account: false });

  it('count in process memory, with the same guarantee on this instance', async () => {
    const account = await t.seed.account();
    await setPlan(t, account.id, { rateLimitPerMinute: 3, rateLimitWindow: 'SLIDING' });
    alignToBucket(t);
    expect(await statuses(t, account.primary.secret, 2)).toEqual(ok(2));
    t.clock.advance(40_000);
    expect(await statuses(t, account.primary.secret, 2)).toEqual([200, 429]);
    t.clock.advance(20_000 + BUCKET_MS);
    expect(await statuses(t, account.primary.secret, 3)).toEqual([...ok(2), 429]);
  });
});

describe('sliding windows, counted', () => {
  const services: RateLimitService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });

  /** A clock the test moves by hand. */
  const manualClock = () => {
    let offset = 0;
    return { now: () => Date.now() + offset, advance: (ms: number) => (offset += ms) };
  };

  function instances(count: number, clock: { now(): number }): RateLimitService[] {
    const keyPrefix = `sliding-test-${randomBytes(4).toString('hex')}`;
    const created = Array.from(
      { length: count },
      () => new RateLimitService({ redisUrl: process.env.TEST_REDIS_URL, keyPrefix, windowSeconds: 60 }, new Metrics(), clock),
    );
    services.push(...created);
    return created;
  }

  const pool = (limit: number): RateLimitPool => ({
    key: `account:${randomBytes(4).toString('hex')}`,
    kind: 'account',
    limit,
    sliding: true,
  });

  it('never admit more than the limit in any window-length interval, under random traffic over five windows', async () => {
    const clock = manualClock();
    const over = instances(process.env.TEST_REDIS_URL ? 2 : 1, clock);
    await Promise.all(over.map((s) => s.connected()));
    const target = pool(50);
    const admittedAt: number[] = [];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let step = 0; step < 600; step++) {
      clock.advance(Math.floor(random() * 1_000));
      const batch = Math.floor(random() * 6);
      const states = await Promise.all(Array.from({ length: batch }, (_, i) => over[i % over.length].charge(target, 1)));
      for (const state of states) if (state.allowed) admittedAt.push(clock.now());
    }
    expect(mostInOneWindow(admittedAt)).toBeLessThanOrEqual(50);
    // And it is a limit, not a shutter: over five windows of steady demand, close to five limits got through.
    expect(admittedAt.length).toBeGreaterThan(4 * 50);
  });

  (process.env.TEST_REDIS_URL ? describe : describe.skip)('with Redis, from leases', () => {
    it('settle a busy pool mostly without a round trip, leases living only until their bucket ends', async () => {
      const clock = manualClock();
      const [limits] = instances(1, clock);
      await limits.connected();
      const target = pool(100_000);
      let roundTrips = 0;
      for (let i = 0; i < 1_000; i++) {
        const charged = limits.charge(target, 1);
        if (charged instanceof Promise) {
          roundTrips++;
          expect((await charged).allowed).toBe(true);
        }
      }
      // One call per MAX_LEASE + 1 charges, and one per bucket the loop crossed in real time.
      expect(roundTrips).toBeLessThanOrEqual(20);
      const before = await limits.peek(target);
      // Past the bucket the lease is over: the next charge goes to Redis (and takes a lease of the new bucket).
      clock.advance(BUCKET_MS);
      const next = limits.charge(target, 1);
      expect(next).toBeInstanceOf(Promise);
      expect((await next).allowed).toBe(true);
      // Once that one is over too, Redis has every unused point back: only the charges count.
      clock.advance(BUCKET_MS);
      const settled = limits.peek(target);
      expect(settled).toBeInstanceOf(Promise);
      expect((await settled).remaining).toBe(before.remaining - 1);
    });

    it('never let two instances admit more than the limit in any window-length interval, under heavy random traffic', async () => {
      const clock = manualClock();
      const pair = instances(2, clock);
      await Promise.all(pair.map((s) => s.connected()));
      const target = pool(2_000);
      const admittedAt: number[] = [];
      let seed = 11;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let step = 0; step < 500; step++) {
        clock.advance(Math.floor(random() * 1_200));
        const batch = Math.floor(random() * 80);
        const states = await Promise.all(Array.from({ length: batch }, (_, i) => pair[i % 2].charge(target, 1)));
        for (const state of states) if (state.allowed) admittedAt.push(clock.now());
      }
      expect(mostInOneWindow(admittedAt)).toBeLessThanOrEqual(2_000);
      // Leases cost little: over five windows of demand well above the limit, close to five limits got through.
      expect(admittedAt.length).toBeGreaterThan(4 * 2_000);
    });
  });

  it('give a refunded charge back to the bucket it was counted in, once, and only with its state', async () => {
    const clock = manualClock();
    const [limits] = instances(1, clock);
    await limits.connected();
    const target = pool(2);
    const first = await limits.charge(target, 1);
    const second = await limits.charge(target, 1);
    expect([first.allowed, second.allowed]).toEqual([true, true]);
    // Without the charge's state nothing is given back: which bucket to take it from is unknown.
    limits.refund(target, 1);
    expect(await limits.peek(target)).toMatchObject({ remaining: 0 });
    limits.refund(target, 1, second);
    limits.refund(target, 1, second);
    expect(await limits.peek(target)).toMatchObject({ remaining: 1 });
    // A refused charge has nothing to give back.
    const third = await limits.charge(target, 1);
    const refused = await limits.charge(target, 1);
    expect([third.allowed, refused.allowed]).toEqual([true, false]);
    limits.refund(target, 1, refused);
    expect(await limits.peek(target)).toMatchObject({ remaining: 0 });
    // Once its bucket has left the window the points are gone anyway: a late refund gives nothing extra.
    clock.advance(WINDOW_MS + BUCKET_MS);
    limits.refund(target, 1, third);
    expect(await limits.peek(target)).toMatchObject({ remaining: 2 });
    expect((await limits.charge(target, 3)).allowed).toBe(false);
  });

  it('answer a charge of a sliding pool at once without Redis, and peek without charging', async () => {
    const clock = manualClock();
    const [limits] = (() => {
      const created = new RateLimitService(
        { keyPrefix: `sliding-${randomBytes(4).toString('hex')}`, windowSeconds: 60 },
        new Metrics(),
        clock,
      );
      services.push(created);
      return [created];
    })();
    const target = pool(2);
    const first = limits.charge(target, 1);
    expect(first).not.toBeInstanceOf(Promise);
    expect(first).toMatchObject({ allowed: true, remaining: 1, windowSeconds: 60 });
    expect(limits.peek(target)).toMatchObject({ allowed: true, remaining: 1 });
    expect(limits.charge(target, 2)).toMatchObject({ allowed: false, remaining: 1 });
    expect(limits.charge(target, 1)).toMatchObject({ allowed: true, remaining: 0 });
  });
});

describe('the CLI sets the window with the plan', () => {
  const t = useTestServer({}, { account: false });

  it('account create and update take --rate-limit-window, and refuse anything but fixed or sliding', async () => {
    const env = { DATABASE_URL: t.database.url };
    const created = await runCliCaptured(['account', 'create', '--name', 'Windowed', '--rate-limit-window', 'sliding', '--json'], env);
    expect(created.code).toBe(0);
    const { id, primaryKey } = JSON.parse(created.out);
    expect(dataOf(await t.call(primaryKey, '{ account { rateLimitWindow } }')).account.rateLimitWindow).toBe('SLIDING');
    expect(await runCliCaptured(['account', 'update', id, '--rate-limit', '7', '--rate-limit-window', 'FIXED'], env)).toMatchObject({
      code: 0,
      out: `Account ${id}: "Windowed", 7 requests/minute (fixed window), Developer API on\n`,
    });
    const listed = JSON.parse((await runCliCaptured(['account', 'list', '--json'], env)).out);
    expect(listed.accounts.find((a: { id: string }) => a.id === id)).toMatchObject({ rateLimitPerMinute: 7, rateLimitWindow: 'FIXED' });
    expect(await runCliCaptured(['account', 'update', id, '--rate-limit-window', 'rolling'], env)).toMatchObject({
      code: 1,
      err: expect.stringContaining('expected fixed or sliding'),
    });
  });
});
