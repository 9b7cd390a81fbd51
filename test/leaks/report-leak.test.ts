import { ApiKeyKind } from '../../src/shared/api-key-kind';
import { REVOKE } from '../api-keys/lifecycle.fixtures';
import { dataOf } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { neverIssuedKey } from '../verify/verify.fixtures';
import { Receiver, verify } from '../webhooks/receiver';
import { createEndpoint, WEBHOOK_CONFIG } from '../webhooks/webhooks.fixtures';
import { brokenChecksum, checksummed, leakHelpers, reportLeak, visible } from './leaks.fixtures';

/*
 * POST /v1/keys/report-leak: anyone may report a key they found, with no
 * credential, and learns nothing from the answer. A live key gets its
 * account's leakResponse, an audit event and an api_key.leak_reported event.
 */
describe('leak reports', () => {
  const t = useTestServer({ ...WEBHOOK_CONFIG, leakReportsPerMinute: 1000 });
  const { admin, trail, status, leakDeliveries, setLeakResponse } = leakHelpers(t);
  let receiver: Receiver;
  let endpoint: { id: string; secret: string };

  beforeAll(async () => {
    receiver = await Receiver.start();
    endpoint = await createEndpoint(t.data, admin(), receiver, ['API_KEY_LEAK_REPORTED']);
  });
  afterAll(() => receiver.close());

  it('answers a live, a revoked, an unknown and a malformed key identically', async () => {
    await setLeakResponse('NOTIFY');
    const live = await t.seed.key(admin(), { name: 'live' });
    const revoked = await t.seed.key(admin(), { name: 'revoked' });
    await t.data(admin(), REVOKE, { id: revoked.id, reason: null });
    const candidates = {
      live: live.secret,
      revoked: revoked.secret,
      unknown: neverIssuedKey(ApiKeyKind.CLIENT),
      'bad checksum': brokenChecksum(live.secret),
      malformed: 'sk_not-a-key',
      empty: '   x   ',
    };
    const answers = [];
    for (const [name, key] of Object.entries(candidates)) {
      answers.push([name, visible(await reportLeak(t, { key, source: 'https://gist.example/1' }))]);
    }
    const first = answers[0][1];
    expect(first).toMatchObject({
      status: 202,
      body: { ok: true, data: { received: true, message: expect.any(String) } },
      headers: { 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8', 'ratelimit-limit': '1000' },
    });
    for (const [name, answer] of answers) expect([name, answer]).toEqual([name, first]);
    // Only the live one was anything: it alone has a report in its trail.
    expect((await trail(live.id)).map((e) => e.action)).toEqual(['API_KEY_LEAK_REPORTED', 'API_KEY_CREATED']);
  });

  it('looks nothing up for a string whose checksum does not hold', async () => {
    const key = await t.seed.key(admin());
    t.sql.reset();
    expect((await reportLeak(t, { key: brokenChecksum(key.secret) })).status).toBe(202);
    expect((await reportLeak(t, { key: checksummed('sk_12345678_' + 'a'.repeat(32)).replace(/.$/, '!') })).status).toBe(202);
    expect(t.sql.statements.filter((sql) => /api_keys|revoked_keys|accounts/.test(sql))).toEqual([]);
    // A checksum-valid one is looked up.
    expect((await reportLeak(t, { key: checksummed('sk_12345678_' + 'a'.repeat(32)) })).status).toBe(202);
    expect(t.sql.statements.filter((sql) => /api_keys/.test(sql)).length).toBeGreaterThan(0);
  });

  it('DEACTIVATE (the default): the key is switched off at once, even when cached, and can be switched back on', async () => {
    await setLeakResponse('DEACTIVATE');
    const key = await t.seed.key(admin(), { name: 'leaky' });
    expect((await t.call(key.secret, '{ viewer { prefix } }')).status).toBe(200);
    await reportLeak(t, { key: key.secret, source: '  https://github.com/acme/app/blob/main/.env  ' });
    expect(await status(key.id)).toBe('INACTIVE');
    const refused = await t.call(key.secret, '{ viewer { prefix } }');
    expect([refused.status, refused.errors?.[0].message]).toEqual([401, expect.stringMatching(/inactive|deactivated/i)]);
    const [reported, deactivated] = await trail(key.id);
    expect(deactivated).toMatchObject({ action: 'API_KEY_DEACTIVATED', actor: 'leak-report', targetPrefix: key.prefix });
    expect(reported).toMatchObject({
      action: 'API_KEY_LEAK_REPORTED',
      actor: 'leak-report',
      targetPrefix: key.prefix,
      details: {
        source: 'https://github.com/acme/app/blob/main/.env',
        reporter: 'leak-report',
        leakResponse: 'DEACTIVATE',
        outcome: 'DEACTIVATED',
        matched: 'current',
      },
    });
    await t.data(admin(), 'mutation($id: ID!) { activateApiKey(id: $id) { id } }', { id: key.id });
    expect((await t.call(key.secret, '{ viewer { prefix } }')).status).toBe(200);
  });

  it('REVOKE: the key is revoked, the source its reason', async () => {
    await setLeakResponse('REVOKE');
    const key = await t.seed.key(admin(), { name: 'revoke-me' });
    expect((await t.call(key.secret, '{ viewer { prefix } }')).status).toBe(200);
    await reportLeak(t, { key: key.secret, source: 'pastebin' });
    expect(await status(key.id)).toBeNull();
    const res = await t.call(key.secret, '{ viewer { prefix } }');
    expect([res.status, res.errors?.[0].message]).toEqual([401, expect.stringMatching(/was revoked/)]);
    const revoked = dataOf(await t.call(admin(), '{ revokedKeys(first: 100) { edges { node { id revokedBy reason } } } }')).revokedKeys;
    expect(revoked.edges.map((e: { node: unknown }) => e.node)).toContainEqual({
      id: key.id,
      revokedBy: 'leak-report',
      reason: 'Reported leaked: pastebin',
    });
    expect((await trail(key.id)).map((e) => [e.action, e.actor, e.details.outcome])).toEqual([
      ['API_KEY_LEAK_REPORTED', 'leak-report', 'REVOKED'],
      ['API_KEY_REVOKED', 'leak-report', undefined],
      ['API_KEY_CREATED', expect.any(String), undefined],
    ]);
  });

  it('NOTIFY: the key keeps working; the report is audited and sent', async () => {
    await setLeakResponse('NOTIFY');
    const key = await t.seed.key(admin(), { name: 'keep-me' });
    await reportLeak(t, { key: key.secret });
    expect(await status(key.id)).toBe('ACTIVE');
    expect((await t.call(key.secret, '{ viewer { prefix } }')).status).toBe(200);
    expect((await trail(key.id))[0]).toMatchObject({
      action: 'API_KEY_LEAK_REPORTED',
      details: { source: null, leakResponse: 'NOTIFY', outcome: 'NOTIFIED' },
    });
  });

  it('never switches off the primary admin key: the report is audited and sent for its owner to reset it', async () => {
    await setLeakResponse('REVOKE');
    const account = await t.seed.account();
    await t.data(account.primary.secret, 'mutation { updateAccountSettings(input: { leakResponse: REVOKE }) { id } }');
    await reportLeak(t, { key: account.primary.secret });
    expect((await t.call(account.primary.secret, '{ viewer { prefix } }')).status).toBe(200);
    const events = dataOf(
      await t.call(
        account.primary.secret,
        'query($f: AuditEventFilter) { auditEvents(filter: $f) { edges { node { action details } } } }',
        {
          f: { action: 'API_KEY_LEAK_REPORTED' },
        },
      ),
    ).auditEvents.edges;
    expect(events.map((e: { node: { details: { outcome: string } } }) => e.node.details.outcome)).toEqual(['PRIMARY_KEPT']);
  });

  it("a key's previous value, while its grace period runs, is the key too", async () => {
    await setLeakResponse('DEACTIVATE');
    const key = await t.seed.key(admin(), { name: 'rotating' });
    await t.data(admin(), 'mutation($id: ID!) { resetApiKey(id: $id, gracePeriodSeconds: 3600) { secret } }', { id: key.id });
    await reportLeak(t, { key: key.secret, source: 'old value' });
    expect(await status(key.id)).toBe('INACTIVE');
    expect((await trail(key.id))[0].details).toMatchObject({ matched: 'previous', outcome: 'DEACTIVATED' });
  });

  it('writes the api_key.leak_reported event with the source, signed, in the same transaction', async () => {
    await setLeakResponse('DEACTIVATE');
    const client = await t.seed.client(admin());
    const key = await t.seed.key(admin(), { name: 'sent', clientId: client.id });
    await reportLeak(t, { key: key.secret, source: 'https://gist.example/2' });
    // Committed with the report: the delivery is there as soon as the answer is.
    const [delivery] = await leakDeliveries(endpoint.id);
    expect(delivery).toMatchObject({ eventType: 'api_key.leak_reported' });
    const arrived = await receiver.event('api_key.leak_reported', (data) => data.key.id === key.id);
    expect(verify(arrived, endpoint.secret, t.clock)).toEqual(arrived.body);
    expect(arrived.body.data).toEqual({
      key: { id: key.id, prefix: key.prefix, name: 'sent', kind: 'CLIENT', accountId: t.account.id, clientId: client.id },
      source: 'https://gist.example/2',
      reporter: 'leak-report',
      leakResponse: 'DEACTIVATE',
      outcome: 'DEACTIVATED',
      matched: 'current',
    });
    expect(arrived.raw).not.toContain(key.secret);
  });

  it('takes no credential: a stray Authorization header is neither checked nor refused', async () => {
    const res = await fetch(new URL('/v1/keys/report-leak', t.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk_forged' },
      body: JSON.stringify({ key: 'sk_whatever' }),
    });
    expect(res.status).toBe(202);
  });

  it.each([
    ['no key', { source: 'x' }, 422, 'key'],
    ['a key that is not a string', { key: 42 }, 422, 'key'],
    ['a source that is not a string', { key: 'sk_x', source: ['a'] }, 422, 'source'],
    ['a source over 500 characters', { key: 'sk_x', source: 'x'.repeat(501) }, 422, 'source'],
    ['a field it does not take', { key: 'sk_x', api_key: 'sk_x' }, 422, 'api_key'],
    ['a body that is not an object', ['sk_x'], 400, undefined],
  ])('refuses a request with %s, whatever the key', async (_case, body, code, field) => {
    const res = await reportLeak(t, body);
    expect([res.status, res.body.error?.field]).toEqual([code, field]);
  });

  it('refuses a body over 256 KB with 413', async () => {
    const res = await reportLeak(t, { key: 'sk_x', source: 'x'.repeat(300_000) });
    expect([res.status, res.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('answers another method with 405 and Allow: POST', async () => {
    const res = await fetch(new URL('/v1/keys/report-leak', t.url));
    expect([res.status, res.headers.get('allow')]).toEqual([405, 'POST']);
  });
});
