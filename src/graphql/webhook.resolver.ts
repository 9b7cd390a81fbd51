import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Auth } from '../shared/auth.decorators';
import { PageArgs, toConnection } from '../shared/pagination';
import { Permission } from '../shared/permission';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity';
import { WebhookEndpoint } from '../webhooks/webhook-endpoint.entity';
import { CreateWebhookEndpointInput, UpdateWebhookEndpointInput, WebhookDeliveryFilter } from '../webhooks/webhook.inputs';
import { WebhookDeliveryConnection, WebhookEndpointWithSecret } from '../webhooks/webhook.types';
import { RequestContext } from './context';

@Resolver()
export class WebhookResolver {
  @Query(() => [WebhookEndpoint], {
    nullable: true,
    description: "The account's webhook endpoints, oldest first, with their status (FAILING after a delivery used up every retry).",
  })
  @Auth(Permission.WEBHOOKS_READ)
  webhookEndpoints(@Ctx() ctx: RequestContext): Promise<WebhookEndpoint[]> {
    return ctx.services.webhooks.list(ctx.caller);
  }

  @Query(() => WebhookDeliveryConnection, {
    nullable: true,
    description: "One endpoint's deliveries, newest first: status, attempts, the last response code and time.",
  })
  @Auth(Permission.WEBHOOKS_READ)
  async webhookDeliveries(
    @Ctx() ctx: RequestContext,
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('filter', () => WebhookDeliveryFilter, { nullable: true }) filter: WebhookDeliveryFilter | undefined,
    @Args() page: PageArgs,
  ): Promise<WebhookDeliveryConnection> {
    return toConnection(WebhookDeliveryConnection, await ctx.services.webhooks.deliveries(ctx.caller, endpointId, filter, page));
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description: 'Adds an endpoint for the chosen events. The answer holds its signing secret (whsec_…), shown this once. Audited.',
  })
  @Auth(Permission.WEBHOOKS_WRITE)
  createWebhookEndpoint(@Ctx() ctx: RequestContext, @Arg('input') input: CreateWebhookEndpointInput): Promise<WebhookEndpointWithSecret> {
    return ctx.services.webhooks.create(ctx.caller, input);
  }

  @Mutation(() => WebhookEndpoint, { description: 'Changes the url, events or description: a field left out stays as it is. Audited.' })
  @Auth(Permission.WEBHOOKS_WRITE)
  updateWebhookEndpoint(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpoint> {
    return ctx.services.webhooks.update(ctx.caller, id, input);
  }

  @Mutation(() => ID, { description: 'Removes the endpoint and its deliveries (pending ones are not sent). Audited.' })
  @Auth(Permission.WEBHOOKS_WRITE)
  deleteWebhookEndpoint(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<string> {
    return ctx.services.webhooks.delete(ctx.caller, id);
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description:
      'A new signing secret, shown this once. For 24 hours the old one signs too (two v1 signatures in webhook-signature), so receivers can switch without a gap. Audited.',
  })
  @Auth(Permission.WEBHOOKS_WRITE)
  rotateWebhookSecret(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<WebhookEndpointWithSecret> {
    return ctx.services.webhooks.rotateSecret(ctx.caller, id);
  }

  @Mutation(() => WebhookDelivery, {
    description: "Sends a delivery's event to its endpoint again, as a new delivery with the same webhook-id. Audited.",
  })
  @Auth(Permission.WEBHOOKS_WRITE)
  redeliverWebhook(@Ctx() ctx: RequestContext, @Arg('deliveryId', () => ID) deliveryId: string): Promise<WebhookDelivery> {
    return ctx.services.webhooks.redeliver(ctx.caller, deliveryId);
  }
}
