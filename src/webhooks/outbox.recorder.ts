import { EntityManager } from 'typeorm';
import { Clock } from '../shared/clock';
import { DomainEvent, EventRecorder } from '../shared/events';
import { pendingDelivery, WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEvent } from './webhook-event.entity';
import { newMessageId } from './webhook-signature';

/**
 * The EventRecorder: writes the event and one delivery per endpoint of the
 * account that subscribes to its type, in the caller's transaction, so an
 * event exists exactly when its change committed. The endpoints are fixed at
 * this moment: one added later does not receive earlier events. An event no
 * endpoint wants is not stored.
 */
export class OutboxRecorder implements EventRecorder {
  constructor(
    private readonly clock: Clock,
    /** Told after each event with deliveries: the dispatcher starts a pass soon, not at its next poll. */
    private readonly recorded: () => void,
  ) {}

  async record(manager: EntityManager, event: DomainEvent): Promise<void> {
    const endpoints = await manager
      .getRepository(WebhookEndpoint)
      .find({ select: { id: true, events: true }, where: { accountId: event.accountId }, order: { id: 'ASC' } });
    const subscribed = endpoints.filter((endpoint) => endpoint.events.some((type) => type === event.type));
    if (subscribed.length === 0) return;
    const now = new Date(this.clock.now());
    const id = newMessageId();
    const body = JSON.stringify({ type: event.type, timestamp: now.toISOString(), data: event.data });
    await manager.insert(WebhookEvent, { id, accountId: event.accountId, type: event.type, body, createdAt: now });
    await manager.insert(
      WebhookDelivery,
      subscribed.map((endpoint) =>
        pendingDelivery({ eventId: id, endpointId: endpoint.id, accountId: event.accountId, eventType: event.type }, now),
      ),
    );
    this.recorded();
  }
}
