import { Field, ObjectType } from 'type-graphql';
import { Auth } from '../shared/auth.decorators';
import { ConnectionType } from '../shared/pagination';
import { Permission } from '../shared/permission';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

@ObjectType({
  description:
    'An endpoint with its signing secret, as createWebhookEndpoint and rotateWebhookSecret answer: the secret is shown here only.',
  simpleResolvers: true,
})
@Auth(Permission.WEBHOOKS_WRITE)
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint)
  endpoint: WebhookEndpoint;

  @Field({ description: 'whsec_… (Standard Webhooks): what the receiver verifies webhook-signature with. Never shown again.' })
  secret: string;
}

export const WebhookDeliveryConnection = ConnectionType(WebhookDelivery);
export type WebhookDeliveryConnection = InstanceType<typeof WebhookDeliveryConnection>;
