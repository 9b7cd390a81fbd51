import { useTestServer } from '../support/harness';
import { Receiver, verify } from './receiver';
import { ALL_EVENTS, createEndpoint, WEBHOOK_CONFIG } from './webhooks.fixtures';

const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60 * 1000;

/*
 * Every event keyward emits reaches a real receiver, signed in the Standard
 * Webhooks format, and verifies with the endpoint's secret; payloads name
 * keys by id and prefix, never by secret or hash.
 */
describe('webhook events', () => {
  const t = useTestServer(WEBHOOK_CONFIG);
  let receiver: Receiver;
  let secret: string;
  let as: string;
  beforeAll(async () => {
    receiver = await Receiver.start();
    as = t.account.primary.secret;
    ({ secret } = await createEndpoint(t.data, as, receiver));
  });
  afterAll(() => receiver.close());

  const byKey = (id: string) => (data: any) => data.key?.id === id;

  /** The event arrived, its signature verifies, its body is { type, timestamp, data }, and no secret is in it. */
  async function expectEvent(type: string, match: (data: any) => boolean) {
    const delivery = await receiver.event(type, match);
    expect(verify(delivery, secret, t.clock)).toEqual(delivery.body);
    expect(delivery.id).toMatch(/^msg_/);
    expect(delivery.signatures.every((s) => s.startsWith('v1,'))).toBe(true);
    expect(Object.keys(delivery.body).sort()).toEqual(['data', 'timestamp', 'type']);
    expect(new Date(delivery.body.timestamp).toISOString()).toBe(delivery.body.timestamp);
    expect(delivery.raw).not.toMatch(/_[0-9A-Za-z]{8}_[0-9A-Za-z]{38}/);
    expect(delivery.raw).not.toMatch(/[0-9a-f]{64}/);
    return delivery.body.data;
  }

  it('api_key.created, updated, reset, deactivated, activated, revoked and deleted', async () => {
    const key = await t.seed.key(as, { permissions: ['KEYS_READ'] });
    const created = await expectEvent('api_key.created', byKey(key.id));
    expect(created.key).toEqual({
      id: key.id,
      prefix: key.prefix,
      name: expect.any(String),
      kind: 'ADMIN',
      accountId: t.account.id,
      clientId: null,
    });
    expect(created.permissions).toEqual(['keys:read']);
    expect(JSON.stringify(created)).not.toContain(key.secret);

    await t.data(as, 'mutation($id: ID!) { updateApiKey(id: $id, input: { name: "Renamed" }) { id } }', { id: key.id });
    const updated = await expectEvent('api_key.updated', byKey(key.id));
    expect(updated.changes.name).toEqual({ from: expect.any(String), to: 'Renamed' });

    await t.data(as, 'mutation($id: ID!) { renameApiKey(id: $id, name: "Renamed again") { id } }', { id: key.id });
    await expectEvent('api_key.updated', (data) => byKey(key.id)(data) && data.changes.name?.to === 'Renamed again');

    const { resetApiKey } = await t.data(as, 'mutation($id: ID!) { resetApiKey(id: $id) { secret apiKey { prefix } } }', { id: key.id });
    const reset = await expectEvent('api_key.reset', byKey(key.id));
    expect(reset).toMatchObject({ key: { prefix: resetApiKey.apiKey.prefix }, previousPrefix: key.prefix });
    expect(JSON.stringify(reset)).not.toContain(resetApiKey.secret);

    await t.data(as, 'mutation($id: ID!) { deactivateApiKey(id: $id) { id } }', { id: key.id });
    await expectEvent('api_key.deactivated', byKey(key.id));
    await t.data(as, 'mutation($id: ID!) { activateApiKey(id: $id) { id } }', { id: key.id });
    await expectEvent('api_key.activated', byKey(key.id));
    await t.data(as, 'mutation($id: ID!) { revokeApiKey(id: $id, reason: "rotated out") { id } }', { id: key.id });
    expect(await expectEvent('api_key.revoked', byKey(key.id))).toMatchObject({ reason: 'rotated out' });

    const other = await t.seed.key(as);
    await t.data(as, 'mutation($id: ID!) { deleteApiKey(id: $id) }', { id: other.id });
    expect((await expectEvent('api_key.deleted', byKey(other.id))).key.prefix).toBe(other.prefix);
  });

  it('arrive in the order the changes were made', async () => {
    const key = await t.seed.key(as);
    for (let i = 0; i < 3; i++) {
      await t.data(as, 'mutation($id: ID!) { deactivateApiKey(id: $id) { id } }', { id: key.id });
      await t.data(as, 'mutation($id: ID!) { activateApiKey(id: $id) { id } }', { id: key.id });
    }
    await receiver.until(() => receiver.accepted().filter((d) => d.body.data.key?.id === key.id).length === 7);
    const types = receiver
      .accepted()
      .filter((d) => d.body.data.key?.id === key.id)
      .map((d) => d.body.type);
    expect(types).toEqual(['api_key.created', ...Array(3).fill(['api_key.deactivated', 'api_key.activated']).flat()]);
  });

  it("api_key.usage_exhausted once, when a use takes the key's last credit", async () => {
    const { createApiKey } = await t.data(
      as,
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id prefix } } }',
      {
        input: { name: 'Metered', permissions: ['KEYS_READ'], remaining: 2 },
      },
    );
    const use = () => t.call(createApiKey.secret, '{ viewer { prefix } }');
    expect((await use()).status).toBe(200);
    expect((await use()).status).toBe(200);
    const exhausted = await expectEvent('api_key.usage_exhausted', byKey(createApiKey.apiKey.id));
    expect(exhausted).toMatchObject({ key: { prefix: createApiKey.apiKey.prefix }, remaining: 0 });
    expect((await use()).status).toBe(429);
    const probe = await t.seed.client(as);
    await receiver.event('client.created', (data) => data.client?.id === probe.id);
    expect(
      receiver.accepted().filter((d) => d.body.type === 'api_key.usage_exhausted' && byKey(createApiKey.apiKey.id)(d.body.data)),
    ).toHaveLength(1);
  });

  it("api_key.leak_reported with the source, and the leak response's api_key.deactivated", async () => {
    const key = await t.seed.key(as);
    const res = await fetch(`${t.url}/v1/keys/report-leak`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: key.secret, source: 'https://gist.example.com/leak' }),
    });
    expect(res.status).toBe(202);
    const reported = await expectEvent('api_key.leak_reported', byKey(key.id));
    expect(reported).toMatchObject({ source: 'https://gist.example.com/leak', leakResponse: 'DEACTIVATE', outcome: 'DEACTIVATED' });
    expect(JSON.stringify(reported)).not.toContain(key.secret);
    await expectEvent('api_key.deactivated', byKey(key.id));
  });

  it('client.created and client.updated', async () => {
    const client = await t.seed.client(as, 'Acme');
    const created = await expectEvent('client.created', (data) => data.client?.id === client.id);
    expect(created.client).toEqual({ id: client.id, name: 'Acme', externalId: null, accountId: t.account.id });
    await t.data(as, 'mutation($id: ID!) { renameClient(id: $id, name: "Acme Ltd") { id } }', { id: client.id });
    const updated = await expectEvent('client.updated', (data) => data.client?.id === client.id);
    expect(updated.changes).toEqual({ name: { from: 'Acme', to: 'Acme Ltd' } });
  });

  it('api_key.expiring 7 days and 1 day before expiresAt, then api_key.expired, each once', async () => {
    const expiresAt = new Date(t.clock.now() + 10 * DAY);
    const key = await t.seed.key(as, { expiresAt: expiresAt.toISOString() });
    const notices = () => receiver.accepted().filter((d) => d.body.data.key?.id === key.id && d.body.type !== 'api_key.created');

    t.clock.advance(3 * DAY + MINUTE);
    const week = await expectEvent('api_key.expiring', byKey(key.id));
    expect(week).toMatchObject({ daysBefore: 7, expiresAt: expiresAt.toISOString() });

    t.clock.advance(6 * DAY);
    await expectEvent('api_key.expiring', (data) => byKey(key.id)(data) && data.daysBefore === 1);

    t.clock.advance(DAY);
    await expectEvent('api_key.expired', byKey(key.id));
    expect(notices().map((d) => [d.body.type, d.body.data.daysBefore])).toEqual([
      ['api_key.expiring', 7],
      ['api_key.expiring', 1],
      ['api_key.expired', undefined],
    ]);

    // Later scans find nothing new to say about it.
    t.clock.advance(2 * MINUTE);
    const probe = await t.seed.client(as);
    await receiver.event('client.created', (data) => data.client?.id === probe.id);
    expect(notices()).toHaveLength(3);
  });

  // Last: the tests above, in order, made every kind of event the endpoint subscribed to.
  it("every event type arrived, each signed with the endpoint's secret", () => {
    const types = new Set(receiver.accepted().map((d) => d.body.type));
    expect([...types].sort()).toEqual(ALL_EVENTS.map((e) => e.toLowerCase().replace(/^(api_key|client)_/, '$1.')).sort());
    for (const delivery of receiver.accepted())
      expect(verify(delivery, secret, { now: () => delivery.timestamp * 1000 })).toEqual(delivery.body);
  });
});
