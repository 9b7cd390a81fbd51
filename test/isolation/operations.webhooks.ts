import { dataOf } from '../support/graphql';
import { ObjectRecord } from './isolation.fixtures';
import { DELIVERY_TARGETS, needs, NO_TARGET, OK, sees, WEBHOOK_TARGETS } from './isolation.model';
import { OperationSpec, RowContext } from './isolation.runner';
import { CONNECTION, seenOrHidden, seenOrNotFound } from './operations.checks';

const answer = (ctx: RowContext, field: string) => dataOf(ctx.res)[field];
const ENDPOINT = 'id url events description status';
/** A closed local port, like the world's endpoints: nothing a row makes sends anywhere. */
const MADE_URL = 'http://127.0.0.1:9/hooks-made';

/**
 * Webhooks belong to the account: only account-wide callers holding
 * webhooks:* reach them (client keys cannot hold those permissions), and
 * another account's endpoints and deliveries are as if they did not exist.
 */
export const WEBHOOK_OPERATIONS: OperationSpec[] = [
  {
    root: 'Query',
    field: 'webhookEndpoints',
    rule: needs('WEBHOOKS_READ'),
    targets: [NO_TARGET],
    expect: () => OK,
    document: `{ webhookEndpoints { ${ENDPOINT} } }`,
    variables: () => ({}),
    verify: ({ world, p, res }) => {
      const ids: string[] = dataOf(res).webhookEndpoints.map((e: { id: string }) => e.id);
      const visible = (r: ObjectRecord | undefined) => !!r && r.state === 'live' && !!r.scope && sees(p, r.scope);
      expect(ids.filter((id) => !visible(world.lookup('webhook', id)))).toEqual([]);
      expect(ids).toContain(world.webhooks.get(`${p.scope!.tenant}.hook`)!.id);
    },
  },
  {
    root: 'Query',
    field: 'webhookDeliveries',
    rule: needs('WEBHOOKS_READ'),
    targets: WEBHOOK_TARGETS,
    objects: 'webhooks',
    expect: seenOrHidden,
    document: `query($id: ID!) { webhookDeliveries(endpointId: $id, first: 100) { ${CONNECTION('id endpointId eventId eventType')} } }`,
    variables: (_w, _p, _t, _v, id) => ({ id }),
    verify: ({ world, res, object }) => {
      const nodes: Array<{ id: string; endpointId: string }> = dataOf(res).webhookDeliveries.edges.map((e: { node: object }) => e.node);
      expect(nodes.filter((n) => n.endpointId !== object!.id)).toEqual([]);
      expect(nodes.map((n) => n.id)).toContain(world.deliveries.get(`${object!.scope!.tenant}.delivery`)!.id);
    },
  },
  {
    root: 'Mutation',
    field: 'createWebhookEndpoint',
    rule: needs('WEBHOOKS_WRITE'),
    targets: [NO_TARGET],
    expect: () => OK,
    document: `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { ${ENDPOINT} } } }`,
    variables: () => ({ input: { url: MADE_URL, events: ['API_KEY_REVOKED'] } }),
    verify: (ctx) => {
      const { secret, endpoint } = answer(ctx, 'createWebhookEndpoint');
      expect(secret).toMatch(/^whsec_/);
      expect(endpoint).toMatchObject({ url: MADE_URL, events: ['API_KEY_REVOKED'], status: 'ACTIVE' });
      const scope = { tenant: ctx.p.scope!.tenant, client: null };
      ctx.made.push(ctx.world.register({ type: 'webhook', id: endpoint.id, scope, state: 'live', fixture: false, prefixes: [] }));
    },
  },
  {
    root: 'Mutation',
    field: 'updateWebhookEndpoint',
    rule: needs('WEBHOOKS_WRITE'),
    targets: WEBHOOK_TARGETS,
    objects: 'webhooks',
    expect: seenOrNotFound(),
    document: `mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { description: "updated" }) { ${ENDPOINT} } }`,
    variables: (_w, _p, _t, _v, id) => ({ id }),
    throwaway: (world, t) => world.throwawayWebhook(t.scope!.tenant),
    verify: (ctx) => expect(answer(ctx, 'updateWebhookEndpoint')).toMatchObject({ id: ctx.object!.id, description: 'updated' }),
  },
  {
    root: 'Mutation',
    field: 'deleteWebhookEndpoint',
    rule: needs('WEBHOOKS_WRITE'),
    targets: WEBHOOK_TARGETS,
    objects: 'webhooks',
    expect: seenOrNotFound(),
    document: 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }',
    variables: (_w, _p, _t, _v, id) => ({ id }),
    throwaway: (world, t) => world.throwawayWebhook(t.scope!.tenant),
    verify: (ctx) => {
      expect(answer(ctx, 'deleteWebhookEndpoint')).toBe(ctx.object!.id);
      ctx.object!.state = 'deleted';
    },
  },
  {
    root: 'Mutation',
    field: 'rotateWebhookSecret',
    rule: needs('WEBHOOKS_WRITE'),
    targets: WEBHOOK_TARGETS,
    objects: 'webhooks',
    expect: seenOrNotFound(),
    document: 'mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { id previousSecretExpiresAt } } }',
    variables: (_w, _p, _t, _v, id) => ({ id }),
    throwaway: (world, t) => world.throwawayWebhook(t.scope!.tenant),
    verify: (ctx) => {
      const { secret, endpoint } = answer(ctx, 'rotateWebhookSecret');
      expect(secret).toMatch(/^whsec_/);
      expect(endpoint).toMatchObject({ id: ctx.object!.id, previousSecretExpiresAt: expect.any(String) });
    },
  },
  {
    root: 'Mutation',
    field: 'redeliverWebhook',
    rule: needs('WEBHOOKS_WRITE'),
    targets: DELIVERY_TARGETS,
    objects: 'deliveries',
    expect: seenOrNotFound(),
    document: 'mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id endpointId eventId status attempts } }',
    variables: (_w, _p, _t, _v, id) => ({ id }),
    verify: (ctx) => {
      const original = ctx.world.snapshots.get(`delivery:${ctx.object!.id}`) as { endpointId: string; eventId: string };
      const made = answer(ctx, 'redeliverWebhook');
      expect(made).toMatchObject({ endpointId: original.endpointId, eventId: original.eventId, status: 'PENDING', attempts: 0 });
      expect(made.id).not.toBe(ctx.object!.id);
    },
  },
];
