import { setTimeout as sleep } from 'node:timers/promises';
import { codeOf, expectDenied } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { TEST_JWT_SECRET, userToken } from '../support/user-tokens';
import { Receiver, verify } from './receiver';
import { CREATE_ENDPOINT, createEndpoint, DELIVERIES, ENDPOINT_FIELDS, WEBHOOK_CONFIG } from './webhooks.fixtures';

const HOUR = 60 * 60 * 1000;
const AUDIT = `query($filter: AuditEventFilter) { auditEvents(filter: $filter) { edges { node { action actor targetId targetName details } } } }`;

describe('webhook endpoints', () => {
  const t = useTestServer({ ...WEBHOOK_CONFIG, authJwtSecret: TEST_JWT_SECRET });
  const receivers: Receiver[] = [];
  afterAll(() => Promise.all(receivers.map((r) => r.close())));
  const receiver = async () => {
    const r = await Receiver.start();
    receivers.push(r);
    return r;
  };

  it('createWebhookEndpoint answers the endpoint and its whsec_ secret, which no query shows again; every change is audited', async () => {
    const tenant = await t.seed.account();
    const as = tenant.primary.secret;
    const r = await receiver();
    const { createWebhookEndpoint } = await t.data(as, CREATE_ENDPOINT, {
      input: { url: r.url, events: ['API_KEY_REVOKED', 'API_KEY_CREATED', 'API_KEY_REVOKED'], description: '  Billing sync ' },
    });
    const { endpoint, secret } = createWebhookEndpoint;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint).toMatchObject({
      url: r.url,
      events: ['API_KEY_CREATED', 'API_KEY_REVOKED'],
      description: 'Billing sync',
      status: 'ACTIVE',
      previousSecretExpiresAt: null,
    });
    const listed = await t.data(as, `{ webhookEndpoints { ${ENDPOINT_FIELDS} } }`);
    expect(listed.webhookEndpoints).toEqual([endpoint]);
    expect(codeOf(await t.call(as, '{ webhookEndpoints { id secret } }'))).toBe('GRAPHQL_VALIDATION_FAILED');

    const { updateWebhookEndpoint } = await t.data(
      as,
      `mutation($id: ID!, $input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $input) { ${ENDPOINT_FIELDS} } }`,
      { id: endpoint.id, input: { events: ['CLIENT_CREATED'], description: null } },
    );
    expect(updateWebhookEndpoint).toMatchObject({ url: r.url, events: ['CLIENT_CREATED'], description: null });
    const empty = await t.call(as, 'mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { events: [] }) { id } }', {
      id: endpoint.id,
    });
    expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'events' });

    expect((await t.data(as, 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id: endpoint.id })).deleteWebhookEndpoint).toBe(
      endpoint.id,
    );
    expect((await t.data(as, '{ webhookEndpoints { id } }')).webhookEndpoints).toEqual([]);
    expect(codeOf(await t.call(as, 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id: endpoint.id }))).toBe('NOT_FOUND');

    const audit = await t.data(as, AUDIT, { filter: { targetType: 'WEBHOOK_ENDPOINT' } });
    const entries = audit.auditEvents.edges.map((e: any) => e.node);
    expect(entries.map((e: any) => e.action)).toEqual(['WEBHOOK_ENDPOINT_DELETED', 'WEBHOOK_ENDPOINT_UPDATED', 'WEBHOOK_ENDPOINT_CREATED']);
    expect(entries[1].details).toEqual({
      events: {
        from: ['api_key.created', 'api_key.revoked'],
        to: ['client.created'],
      },
      description: { from: 'Billing sync', to: null },
    });
    expect(JSON.stringify(entries)).not.toContain(secret);
  });

  it('refuses a too long description or url, and a 21st endpoint', async () => {
    const tenant = await t.seed.account();
    const as = tenant.primary.secret;
    const r = await receiver();
    const refused = async (input: object, field: string) => {
      const res = await t.call(as, CREATE_ENDPOINT, { input: { url: r.url, events: ['CLIENT_CREATED'], ...input } });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    };
    await refused({ description: 'x'.repeat(501) }, 'description');
    await refused({ url: `${r.url}?${'a'.repeat(2048)}` }, 'url');
    await refused({ events: [] }, 'events');
    for (let i = 0; i < 20; i++) await createEndpoint(t.data, as, r, ['CLIENT_CREATED']);
    const over = await t.call(as, CREATE_ENDPOINT, { input: { url: r.url, events: ['CLIENT_CREATED'] } });
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 20 });
  });

  it('a deleted endpoint gets nothing more, not even the retries it had pending', async () => {
    const tenant = await t.seed.account();
    const as = tenant.primary.secret;
    const r = await receiver();
    r.answer = () => 500;
    const { id } = await createEndpoint(t.data, as, r, ['CLIENT_CREATED']);
    await t.seed.client(as);
    await r.until(() => r.deliveries.length === 1);
    await t.data(as, 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id });
    t.clock.advance(60 * 1000);
    // Another endpoint's event, recorded after the clock moved, arrives once the dispatcher has passed.
    const other = await receiver();
    await createEndpoint(t.data, as, other, ['CLIENT_CREATED']);
    await t.seed.client(as);
    await other.event('client.created');
    expect(r.deliveries).toHaveLength(1);
  });

  it("another account's endpoint is not found, and has no deliveries", async () => {
    const r = await receiver();
    const owner = await t.seed.account();
    const { id } = await createEndpoint(t.data, owner.primary.secret, r);
    await t.seed.client(owner.primary.secret);
    await r.event('client.created');
    expect((await t.data(owner.primary.secret, DELIVERIES, { id })).webhookDeliveries.totalCount).toBe(1);
    const other = t.account.primary.secret;
    expect((await t.data(other, '{ webhookEndpoints { id } }')).webhookEndpoints).toEqual([]);
    for (const [query, variables] of [
      ['mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id }],
      ['mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }', { id }],
      ['mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { description: "x" }) { id } }', { id }],
    ] as const) {
      expect(codeOf(await t.call(other, query, variables))).toBe('NOT_FOUND');
    }
    // A list, like any filter naming what is out of reach, is empty.
    expect((await t.data(other, DELIVERIES, { id })).webhookDeliveries).toEqual({ totalCount: 0, edges: [] });
  });

  it('needs webhooks:read to list and webhooks:write to change; dashboard developers hold both; client keys neither', async () => {
    const r = await receiver();
    const as = t.account.primary.secret;
    const reader = await t.seed.key(as, { permissions: ['WEBHOOKS_READ'] });
    const noWebhooks = await t.seed.key(as, { permissions: ['KEYS_READ'] });
    const input = { url: r.url, events: ['CLIENT_CREATED'] };
    expect((await t.data(reader.secret, '{ webhookEndpoints { id } }')).webhookEndpoints).toEqual(expect.any(Array));
    expectDenied(await t.call(reader.secret, CREATE_ENDPOINT, { input }), 'FORBIDDEN', 'createWebhookEndpoint');
    expectDenied(await t.call(noWebhooks.secret, '{ webhookEndpoints { id } }'), 'FORBIDDEN', 'webhookEndpoints');

    const developer = await userToken({ sub: 'dev@example.com', account_id: t.account.id, roles: ['developer'] });
    const made = await t.data(developer, CREATE_ENDPOINT, { input });
    expect(made.createWebhookEndpoint.secret).toMatch(/^whsec_/);
    const audit = await t.data(as, AUDIT, { filter: { action: 'WEBHOOK_ENDPOINT_CREATED' } });
    expect(audit.auditEvents.edges[0].node.actor).toContain('dev@example.com');

    const client = await t.seed.client(as);
    const clientKey = await t.seed.key(as, { clientId: client.id, permissions: ['KEYS_READ'] });
    expectDenied(await t.call(clientKey.secret, '{ webhookEndpoints { id } }'), 'FORBIDDEN', 'webhookEndpoints');
    const granted = await t.call(as, 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', {
      input: { name: 'Client hooks', clientId: client.id, permissions: ['WEBHOOKS_READ'] },
    });
    expect(granted.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'permissions' });
    expect(granted.errors?.[0]?.message).toContain('webhooks:read');
  });

  it('rotateWebhookSecret: for 24 hours each delivery carries two v1 signatures, one per secret; then only the new one', async () => {
    const r = await receiver();
    const tenant = await t.seed.account();
    const as = tenant.primary.secret;
    const { id, secret: old } = await createEndpoint(t.data, as, r, ['CLIENT_CREATED']);
    const { rotateWebhookSecret } = await t.data(
      as,
      `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { ${ENDPOINT_FIELDS} } } }`,
      {
        id,
      },
    );
    const fresh = rotateWebhookSecret.secret;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    expect(new Date(rotateWebhookSecret.endpoint.previousSecretExpiresAt).getTime()).toBeCloseTo(t.clock.now() + 24 * HOUR, -4);

    const during = await t.seed.client(as, 'During');
    const both = await r.event('client.created', (data) => data.client.id === during.id);
    expect(both.signatures).toHaveLength(2);
    expect(verify(both, fresh, t.clock)).toEqual(both.body);
    expect(verify(both, old, t.clock)).toEqual(both.body);

    t.clock.advance(24 * HOUR + 1000);
    const after = await t.seed.client(as, 'After');
    const one = await r.event('client.created', (data) => data.client.id === after.id);
    expect(one.signatures).toHaveLength(1);
    expect(verify(one, fresh, t.clock)).toEqual(one.body);
    expect(() => verify(one, old, t.clock)).toThrow(/No matching signature/);
    const audit = await t.data(as, AUDIT, { filter: { action: 'WEBHOOK_SECRET_ROTATED' } });
    expect(audit.auditEvents.edges).toHaveLength(1);
  });

  it('webhookDeliveries lists newest first, filtered by status and event type', async () => {
    const r = await receiver();
    const tenant = await t.seed.account();
    const as = tenant.primary.secret;
    r.answer = (d) => (d.body.type === 'client.created' ? 410 : 200);
    const { id } = await createEndpoint(t.data, as, r, ['CLIENT_CREATED', 'API_KEY_CREATED']);
    await t.seed.client(as);
    await t.seed.key(as);
    await r.until(() => r.deliveries.length === 2);
    const read = async (filter?: object) => (await t.data(as, DELIVERIES, { id, filter })).webhookDeliveries;
    let all = await read();
    // Each outcome is written just after the receiver answers.
    for (let i = 0; all.edges.some((e: any) => e.node.attempts === 0) && i < 500; i++) {
      await sleep(10);
      all = await read();
    }
    expect(all.totalCount).toBe(2);
    expect(all.edges.map((e: any) => e.node.eventType)).toEqual(['api_key.created', 'client.created']);
    expect(all.edges[1].node).toMatchObject({ status: 'PENDING', lastResponseCode: 410, attempts: 1, endpointId: id });
    expect((await read({ status: 'PENDING' })).edges.map((e: any) => e.node.eventType)).toEqual(['client.created']);
    expect((await read({ eventType: 'API_KEY_CREATED' })).edges.map((e: any) => e.node.status)).toEqual(['DELIVERED']);
  });
});

/*
 * No SSRF: without WEBHOOK_ALLOW_PRIVATE_URLS an endpoint must be https and
 * must resolve to public addresses only; each refusal names the url field.
 */
describe('webhook endpoint URLs without WEBHOOK_ALLOW_PRIVATE_URLS', () => {
  const t = useTestServer();

  it.each([
    ['http', 'http://hooks.example.com/keyward', /must use https/],
    ['loopback', 'https://127.0.0.1/hooks', /loopback, private/],
    ['localhost by name', 'https://localhost:8443/hooks', /resolves to (127\.0\.0\.1|::1)/],
    ['a private network', 'https://10.1.2.3/hooks', /10\.1\.2\.3/],
    ['another private network', 'https://192.168.0.10/hooks', /loopback, private/],
    ['the metadata service', 'https://169.254.169.254/latest/meta-data', /169\.254\.169\.254/],
    ['IPv6 loopback', 'https://[::1]/hooks', /loopback, private/],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/hooks', /loopback, private/],
    ['IPv6 unique-local', 'https://[fd00::1]/hooks', /loopback, private/],
    ['a decimal-encoded loopback', 'https://2130706433/hooks', /loopback, private/],
    ['credentials in the URL', 'https://user:pass@hooks.example.com/', /user name or password/],
    ['no URL at all', 'hooks.example.com', /absolute URL/],
  ])('refuses %s', async (_case, url, message) => {
    const res = await t.call(t.account.primary.secret, CREATE_ENDPOINT, { input: { url, events: ['API_KEY_CREATED'] } });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
    expect(res.errors?.[0]?.message).toMatch(message);
  });

  it('takes an https URL at a public address, and refuses to move it to a private one', async () => {
    const made = await t.data(t.account.primary.secret, CREATE_ENDPOINT, {
      input: { url: 'https://93.184.215.14/keyward', events: ['API_KEY_EXPIRED'] },
    });
    expect(made.createWebhookEndpoint.endpoint.url).toBe('https://93.184.215.14/keyward');
    const moved = await t.call(
      t.account.primary.secret,
      'mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { url: "https://127.0.0.1/" }) { id } }',
      {
        id: made.createWebhookEndpoint.endpoint.id,
      },
    );
    expect(moved.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
  });
});
