import { setTimeout as sleep } from 'node:timers/promises';
import { useTestServer } from '../support/harness';
import { Receiver, verify } from './receiver';
import { createEndpoint, DELIVERIES, ENDPOINT_FIELDS, WEBHOOK_CONFIG } from './webhooks.fixtures';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** The retry schedule the README promises: the wait after each failed attempt. */
const SCHEDULE = [5 * SECOND, 30 * SECOND, 2 * MINUTE, 10 * MINUTE, HOUR, 6 * HOUR, 24 * HOUR, 24 * HOUR, 24 * HOUR];

const AUDIT = `query($filter: AuditEventFilter) { auditEvents(filter: $filter) { edges { node { action actor targetId details } } } }`;

/*
 * A receiver that fails gets the event again on the retry schedule (the
 * test moves the server's clock; nothing waits for real), with the same
 * webhook-id each time; one that never answers 2xx marks the endpoint
 * FAILING after about three days, and a later success makes it ACTIVE.
 */
describe('webhook retries', () => {
  const t = useTestServer(WEBHOOK_CONFIG);
  const receivers: Receiver[] = [];
  let probe: Receiver;
  beforeAll(async () => {
    probe = await Receiver.start();
    receivers.push(probe);
    await createEndpoint(t.data, t.account.primary.secret, probe, ['CLIENT_CREATED']);
  });
  afterAll(() => Promise.all(receivers.map((r) => r.close())));

  /**
   * Returns once the dispatcher has run a pass after this call: an event of
   * another account, recorded now, has arrived. Whatever was due then was
   * taken in that pass too.
   */
  async function dispatcherPassed(): Promise<void> {
    const client = await t.seed.client(t.account.primary.secret);
    await probe.event('client.created', (data) => data.client.id === client.id);
  }

  async function setUp() {
    const receiver = await Receiver.start();
    receivers.push(receiver);
    const account = await t.seed.account();
    const endpoint = await createEndpoint(t.data, account.primary.secret, receiver, ['CLIENT_CREATED']);
    return { receiver, as: account.primary.secret, endpoint };
  }

  const deliveries = async (as: string, id: string) =>
    (await t.data(as, DELIVERIES, { id })).webhookDeliveries.edges.map((e: any) => e.node);

  /**
   * Deliveries, once the newest matches: its outcome is written just after
   * the receiver answers, and the clock must not move before (the next
   * attempt is scheduled from the time of that write).
   */
  async function recorded(as: string, endpointId: string, match: (delivery: any) => boolean) {
    const started = Date.now();
    for (;;) {
      const list = await deliveries(as, endpointId);
      if (list[0] && match(list[0])) return list;
      if (Date.now() - started > 15_000) throw new Error(`delivery still ${JSON.stringify(list[0])}`);
      await sleep(10);
    }
  }
  const waitForStatus = (as: string, endpointId: string, status: string) => recorded(as, endpointId, (d) => d.status === status);

  it('a receiver that fails three times gets the event on the fourth attempt, each retry when the schedule says', async () => {
    const { receiver, as, endpoint } = await setUp();
    receiver.answer = (_d, index) => (index < 3 ? 500 : 204);
    await t.seed.client(as, 'Retried');

    await receiver.until(() => receiver.deliveries.length === 1);
    const [first] = await recorded(as, endpoint.id, (d) => d.attempts === 1);
    expect(first).toMatchObject({
      status: 'PENDING',
      attempts: 1,
      lastResponseCode: 500,
      lastError: 'answered HTTP 500',
      eventType: 'client.created',
    });
    expect(new Date(first.nextAttemptAt).getTime() - new Date(first.lastAttemptAt).getTime()).toBe(5 * SECOND);

    for (const [attempt, wait] of SCHEDULE.slice(0, 3).entries()) {
      // Not a second before it is due.
      t.clock.advance(wait - SECOND);
      await dispatcherPassed();
      expect(receiver.deliveries).toHaveLength(attempt + 1);
      t.clock.advance(SECOND);
      await receiver.until(() => receiver.deliveries.length === attempt + 2);
      await recorded(as, endpoint.id, (d) => d.attempts === attempt + 2);
    }
    expect(receiver.deliveries.map((d) => d.status)).toEqual([500, 500, 500, 204]);
    expect(new Set(receiver.deliveries.map((d) => d.id)).size).toBe(1);
    expect(new Set(receiver.deliveries.map((d) => d.raw)).size).toBe(1);
    for (const delivery of receiver.deliveries) verify(delivery, endpoint.secret, t.clock);

    const [done] = await waitForStatus(as, endpoint.id, 'DELIVERED');
    expect(done).toMatchObject({
      status: 'DELIVERED',
      attempts: 4,
      lastResponseCode: 204,
      lastError: null,
      eventId: receiver.deliveries[0].id,
    });
  });

  it('after every retry fails (about three days), the endpoint is FAILING and audited; a later success makes it ACTIVE', async () => {
    const { receiver, as, endpoint } = await setUp();
    receiver.answer = () => 503;
    await t.seed.client(as, 'Never delivered');
    await recorded(as, endpoint.id, (d) => d.attempts === 1);
    for (const [attempt, wait] of SCHEDULE.entries()) {
      t.clock.advance(wait);
      await recorded(as, endpoint.id, (d) => d.attempts === attempt + 2);
    }
    const [failed] = await waitForStatus(as, endpoint.id, 'FAILED');
    expect(failed).toMatchObject({ attempts: SCHEDULE.length + 1, lastResponseCode: 503, nextAttemptAt: expect.any(String) });
    const total = SCHEDULE.reduce((a, b) => a + b, 0);
    expect(total / (24 * HOUR)).toBeGreaterThan(3);
    expect(total / (24 * HOUR)).toBeLessThan(3.5);

    // No more attempts, however long one waits.
    t.clock.advance(7 * 24 * HOUR);
    await dispatcherPassed();
    expect(receiver.deliveries).toHaveLength(SCHEDULE.length + 1);

    const endpoints = await t.data(as, `{ webhookEndpoints { ${ENDPOINT_FIELDS} } }`);
    expect(endpoints.webhookEndpoints).toEqual([expect.objectContaining({ id: endpoint.id, status: 'FAILING' })]);
    const audit = await t.data(as, AUDIT, { filter: { action: 'WEBHOOK_ENDPOINT_FAILING' } });
    expect(audit.auditEvents.edges.map((e: any) => e.node)).toEqual([
      expect.objectContaining({
        actor: 'keyward (webhooks)',
        targetId: endpoint.id,
        details: expect.objectContaining({ lastResponseCode: 503 }),
      }),
    ]);

    // The receiver is fixed: the failed event can be sent again, with its webhook-id, and the endpoint recovers.
    receiver.answer = () => 200;
    const { redeliverWebhook } = await t.data(
      as,
      'mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id status attempts eventId } }',
      {
        id: failed.id,
      },
    );
    expect(redeliverWebhook).toMatchObject({ status: 'PENDING', attempts: 0, eventId: failed.eventId });
    const redelivered = await receiver.until(() => receiver.accepted()[0]);
    expect(redelivered.id).toBe(failed.eventId);
    await waitForStatus(as, endpoint.id, 'DELIVERED');
    const after = await t.data(as, `{ webhookEndpoints { id status } }`);
    expect(after.webhookEndpoints).toEqual([{ id: endpoint.id, status: 'ACTIVE' }]);
    const recovered = await t.data(as, AUDIT, { filter: { action: 'WEBHOOK_ENDPOINT_RECOVERED' } });
    expect(recovered.auditEvents.edges).toHaveLength(1);
    const requested = await t.data(as, AUDIT, { filter: { action: 'WEBHOOK_REDELIVERY_REQUESTED' } });
    expect(requested.auditEvents.edges[0].node.details).toMatchObject({ deliveryId: failed.id, eventId: failed.eventId });
  });

  it('a receiver that does not answer within 10 s is given up on for that attempt, and never slows the API meanwhile', async () => {
    const { receiver, as, endpoint } = await setUp();
    receiver.answer = () => new Promise<number>(() => undefined);
    await t.seed.client(as, 'Stalled');
    await receiver.until(() => receiver.deliveries.length === 1);
    const started = Date.now();
    for (let i = 0; i < 5; i++) await t.data(as, '{ viewer { prefix } }');
    expect(Date.now() - started).toBeLessThan(1000);
    const [stalled] = await recorded(as, endpoint.id, (d) => d.attempts === 1);
    expect(Date.now() - started).toBeGreaterThan(9_000);
    expect(stalled).toMatchObject({ status: 'PENDING', lastResponseCode: null, lastError: 'no answer within 10 s' });
    // Its retry, whenever a later test's clock makes it due, is answered: the server's stop need not wait for it.
    receiver.answer = () => 204;
  }, 30_000);

  it('deliveries done more than 30 days ago are cleaned up; newer ones and pending ones stay', async () => {
    const { receiver, as, endpoint } = await setUp();
    receiver.answer = (d) => (d.body.data.client.name === 'Refused' ? 500 : 204);
    await t.seed.client(as, 'Old');
    await waitForStatus(as, endpoint.id, 'DELIVERED');
    t.clock.advance(29 * 24 * HOUR);
    await t.seed.client(as, 'Refused');
    await recorded(as, endpoint.id, (d) => d.attempts === 1);
    t.clock.advance(2 * 24 * HOUR);
    await t.seed.client(as, 'Recent');
    await dispatcherPassed();
    await recorded(as, endpoint.id, (d) => d.status === 'DELIVERED');
    const kept = (await deliveries(as, endpoint.id)).map((d: any) => [d.eventType, d.status]);
    expect(kept).toEqual([
      ['client.created', 'DELIVERED'],
      ['client.created', 'PENDING'],
    ]);
  });

  it('one event a receiver keeps refusing does not hold back the ones after it', async () => {
    const { receiver, as } = await setUp();
    receiver.answer = (d) => (d.body.data.client.name === 'Poison' ? 500 : 204);
    await t.seed.client(as, 'Poison');
    await t.seed.client(as, 'Fine');
    const fine = await receiver.event('client.created', (data) => data.client.name === 'Fine');
    expect(fine.status).toBe(204);
  });
});
