import { useTestServer } from '../support/harness';
import { neverIssuedKey } from '../verify/verify.fixtures';
import { leakHelpers, reportLeak, visible } from './leaks.fixtures';

/* Leak reports take no credential, so each client address has a pool of its own (LEAK_REPORTS_PER_MINUTE). */
describe('leak reports per client address', () => {
  const t = useTestServer({ leakReportsPerMinute: 3, trustProxy: true });
  const { admin, status } = leakHelpers(t);

  it('refuses an address its fourth report in a window with 429, whatever the key, and no other address', async () => {
    const key = await t.seed.key(admin(), { name: 'found' });
    for (let i = 0; i < 3; i++) expect((await reportLeak(t, { key: neverIssuedKey() }, '203.0.113.7')).status).toBe(202);
    const unknown = await reportLeak(t, { key: neverIssuedKey() }, '203.0.113.7');
    const live = await reportLeak(t, { key: key.secret }, '203.0.113.7');
    expect(visible(live)).toEqual(visible(unknown));
    expect([live.status, live.body.error.code, Number(live.headers.get('retry-after')) > 0]).toEqual([429, 'RATE_LIMITED', true]);
    expect(live.headers.get('ratelimit-remaining')).toBe('0');
    // Refused before it was looked at: the key still works.
    expect(await status(key.id)).toBe('ACTIVE');
    expect((await reportLeak(t, { key: key.secret }, '198.51.100.9')).status).toBe(202);
    expect(await status(key.id)).toBe('INACTIVE');
  });
});
