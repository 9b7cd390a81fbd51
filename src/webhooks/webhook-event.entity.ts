import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DATETIME } from '../db/columns';

/**
 * The outbox: one row per event that at least one endpoint subscribed to,
 * written in the transaction of the change it reports. `body` is the exact
 * JSON every delivery of it sends, so retries are byte for byte the same.
 */
@Entity('webhook_events')
@Index('idx_webhook_events_account', ['accountId', 'createdAt'])
export class WebhookEvent {
  /** `msg_…`: the webhook-id header, the same on every retry and redelivery. */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id: string;

  @Column({ type: 'integer', name: 'account_id' })
  accountId: number;

  @Column({ type: 'varchar', length: 64 })
  type: string;

  /** `{ type, timestamp, data }` as JSON. */
  @Column({ type: 'text' })
  body: string;

  @Column({ ...DATETIME, name: 'created_at' })
  createdAt: Date;
}
