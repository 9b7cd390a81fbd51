import { useTestServer } from '../support/harness';
import { rateLimitHeaders, setRateLimit } from './rate-limit.fixtures';

const WINDOW_SECONDS = 2;

describe('rate-limit windows', () => {
  // The plan's window is a minute; this server's is 2 s, so the test can watch one end.
  const t = useTestServer({ rateLimitWindowSeconds: WINDOW_SECONDS }, { account: false });

  it('reset on their own: steady traffic over the limit does not keep a pool shut', async () => {
    const account = await t.seed.account();
    await setRateLimit(t, account.id, 3);
    const request = () => t.call(account.primary.secret, '{ viewer { principal } }');

    let res = await request();
    while (res.status === 200) res = await request();
    expect(res.status).toBe(429);
    expect(rateLimitHeaders(res.headers).retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);

    // Keep knocking, faster than the window, without pause: the pool must open again all the same.
    const deadline = Date.now() + (WINDOW_SECONDS + 3) * 1000;
    let refusedWhileWaiting = 0;
    while (res.status === 429 && Date.now() < deadline) {
      refusedWhileWaiting++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      res = await request();
    }
    expect(res.status).toBe(200);
    expect(refusedWhileWaiting).toBeGreaterThan(3);
    expect(rateLimitHeaders(res.headers)).toMatchObject({ limit: 3, remaining: 2 });
  });
});
