import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Auth } from '../shared/auth.decorators';
import { DATETIME, listTransformer } from '../db/columns';
import { Timestamped } from '../db/timestamps';
import { Permission } from '../shared/permission';
import { parseWebhookEventType, WebhookEventType } from './webhook-event-type';

export enum WebhookEndpointStatus {
  ACTIVE = 'ACTIVE',
  /** A delivery used up every retry; the next successful one makes the endpoint ACTIVE again. */
  FAILING = 'FAILING',
}

registerEnumType(WebhookEndpointStatus, {
  name: 'WebhookEndpointStatus',
  description: 'FAILING: a delivery to it failed on every retry (about three days); it is still sent new events.',
});

/**
 * Where an account's events go. The signing secrets are columns without
 * @Field: they reach the API only in the answers that make them (create,
 * rotate), once.
 */
@Entity('webhook_endpoints')
@Index('idx_webhook_endpoints_account', ['accountId', 'id'])
@ObjectType({
  description: 'An HTTPS endpoint of the account that receives its events, signed (Standard Webhooks).',
  simpleResolvers: true,
})
@Auth(Permission.WEBHOOKS_READ)
export class WebhookEndpoint extends Timestamped {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'integer', name: 'account_id' })
  accountId: number;

  @Field()
  @Column({ type: 'varchar', length: 2048 })
  url: string;

  @Field(() => [WebhookEventType])
  @Column({ type: 'varchar', length: 1000, transformer: listTransformer(parseWebhookEventType) })
  events: WebhookEventType[];

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  @Field(() => WebhookEndpointStatus)
  @Column({ type: 'varchar', length: 16, default: WebhookEndpointStatus.ACTIVE })
  status: WebhookEndpointStatus;

  /** `whsec_` + base64 of 32 random bytes: what signs every delivery. */
  @Column({ type: 'varchar', length: 64 })
  secret: string;

  /** The secret the last rotation replaced: it signs beside the new one until `previousSecretExpiresAt`. */
  @Column({ type: 'varchar', length: 64, name: 'previous_secret', nullable: true })
  previousSecret: string | null;

  @Field(() => Date, { nullable: true, description: 'Until when deliveries are also signed with the secret the last rotation replaced.' })
  @Column({ ...DATETIME, name: 'previous_secret_expires_at', nullable: true })
  previousSecretExpiresAt: Date | null;
}
