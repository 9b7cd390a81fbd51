import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Auth } from '../shared/auth.decorators';
import { DATETIME } from '../db/columns';
import { Permission } from '../shared/permission';

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}

registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'PENDING: not yet answered with a 2xx, retried on the schedule. FAILED: every retry failed.',
});

/**
 * One event for one endpoint. A dispatcher takes it by writing its lease
 * (owner and until when); a lease that runs out, because its process died,
 * lets another take the attempt again.
 */
@Entity('webhook_deliveries')
@Index('idx_webhook_deliveries_due', ['status', 'nextAttemptAt'])
@Index('idx_webhook_deliveries_endpoint', ['endpointId', 'id'])
@Index('idx_webhook_deliveries_event', ['eventId'])
@ObjectType({ description: 'An event sent (or to be sent) to one endpoint.', simpleResolvers: true })
@Auth(Permission.WEBHOOKS_READ)
export class WebhookDelivery {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Field({ description: 'The webhook-id header: the same on every attempt and redelivery.' })
  @Column({ type: 'varchar', length: 32, name: 'event_id' })
  eventId: string;

  @Field(() => ID)
  @Column({ type: 'integer', name: 'endpoint_id' })
  endpointId: number;

  @Column({ type: 'integer', name: 'account_id' })
  accountId: number;

  @Field({ description: 'The dotted event type, e.g. api_key.revoked.' })
  @Column({ type: 'varchar', length: 64, name: 'event_type' })
  eventType: string;

  @Field(() => WebhookDeliveryStatus)
  @Column({ type: 'varchar', length: 16 })
  status: WebhookDeliveryStatus;

  @Field(() => Int)
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due (PENDING only).' })
  @Column({ ...DATETIME, name: 'next_attempt_at' })
  nextAttemptAt: Date;

  @Field(() => Int, {
    nullable: true,
    description: "The receiver's HTTP status at the last attempt; null when none came (timeout, refused connection or address).",
  })
  @Column({ type: 'integer', name: 'last_response_code', nullable: true })
  lastResponseCode: number | null;

  @Field(() => Date, { nullable: true })
  @Column({ ...DATETIME, name: 'last_attempt_at', nullable: true })
  lastAttemptAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed, when it did.' })
  @Column({ type: 'varchar', length: 500, name: 'last_error', nullable: true })
  lastError: string | null;

  @Column({ type: 'varchar', length: 64, name: 'lease_owner', nullable: true })
  leaseOwner: string | null;

  @Column({ ...DATETIME, name: 'lease_until', nullable: true })
  leaseUntil: Date | null;

  @Field()
  @Column({ ...DATETIME, name: 'created_at' })
  createdAt: Date;
}

/** Which event goes to which endpoint: what a new delivery is made from. */
export type DeliveryTarget = Pick<WebhookDelivery, 'eventId' | 'endpointId' | 'accountId' | 'eventType'>;

/** A delivery as it starts, for a new event and for a redelivery alike: pending, due now, never tried, not leased. */
export function pendingDelivery(target: DeliveryTarget, now: Date): Omit<WebhookDelivery, 'id'> {
  return {
    eventId: target.eventId,
    endpointId: target.endpointId,
    accountId: target.accountId,
    eventType: target.eventType,
    status: WebhookDeliveryStatus.PENDING,
    attempts: 0,
    nextAttemptAt: now,
    lastResponseCode: null,
    lastAttemptAt: null,
    lastError: null,
    leaseOwner: null,
    leaseUntil: null,
    createdAt: now,
  };
}
