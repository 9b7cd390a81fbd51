import { Field, InputType } from 'type-graphql';
import { WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEventType } from './webhook-event-type';

@InputType()
export class CreateWebhookEndpointInput {
  @Field({
    description:
      'Where events are POSTed: https, at most 2048 characters, and resolving to public addresses only (checked now and before each delivery).',
  })
  url: string;

  @Field(() => [WebhookEventType], { description: 'The events this endpoint receives: at least one.' })
  events: WebhookEventType[];

  @Field(() => String, { nullable: true, description: 'At most 500 characters.' })
  description?: string | null;
}

/** updateWebhookEndpoint's input: a field left out stays as it is; description null clears it. */
@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true, description: 'https, public addresses only (checked now and before each delivery).' })
  url?: string | null;

  @Field(() => [WebhookEventType], { nullable: true, description: 'At least one.' })
  events?: WebhookEventType[] | null;

  @Field(() => String, { nullable: true, description: 'At most 500 characters; null clears it.' })
  description?: string | null;
}

@InputType()
export class WebhookDeliveryFilter {
  @Field(() => WebhookDeliveryStatus, { nullable: true })
  status?: WebhookDeliveryStatus | null;

  @Field(() => WebhookEventType, { nullable: true })
  eventType?: WebhookEventType | null;
}
