import { DataSource, In, LessThan } from 'typeorm';
import { Clock } from '../shared/clock';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEvent } from './webhook-event.entity';

/** How long delivered and failed deliveries (and then their events) are kept: webhookDeliveries shows this much history. */
export const WEBHOOK_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Keeps the outbox from growing for ever: deliveries that are done (DELIVERED
 * or FAILED) go once they are older than the retention, and an event goes
 * once no delivery names it (a recent redelivery keeps an old event). Pending
 * deliveries are never removed here. Safe on several instances at once: each
 * statement deletes only what is already out of date.
 */
export class WebhookRetention {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async purge(): Promise<void> {
    const cutoff = new Date(this.clock.now() - WEBHOOK_RETENTION_MS);
    await this.dataSource.getRepository(WebhookDelivery).delete({
      status: In([WebhookDeliveryStatus.DELIVERED, WebhookDeliveryStatus.FAILED]),
      createdAt: LessThan(cutoff),
    });
    await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(WebhookEvent)
      .where('created_at < :cutoff', { cutoff })
      .andWhere('NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)')
      .execute();
  }
}
