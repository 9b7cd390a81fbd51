import { DataSource, EntityManager } from 'typeorm';
import { Account } from '../accounts/account.entity';
import { AuditAction, AuditTargetType } from '../audit/audit-action';
import { AuditEntry, AuditService } from '../audit/audit.service';
import { forUpdate } from '../db/locking';
import { Transactor } from '../db/transactions';
import { Caller } from '../shared/caller';
import { Clock } from '../shared/clock';
import { BadUserInputError, ForbiddenError, LimitExceededError, NotFoundError } from '../shared/errors';
import { parseId } from '../shared/ids';
import { Page, PageArgs, paginate } from '../shared/pagination';
import { AccountPrincipal, requireAccountPrincipal } from '../shared/principal';
import { normalizeOptionalText } from '../shared/validators';
import { pendingDelivery, WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint, WebhookEndpointStatus } from './webhook-endpoint.entity';
import { WebhookEventType } from './webhook-event-type';
import { CreateWebhookEndpointInput, UpdateWebhookEndpointInput, WebhookDeliveryFilter } from './webhook.inputs';
import { newSigningSecret } from './webhook-signature';
import { parseWebhookUrl, resolveWebhookTarget, WebhookUrlError } from './webhook-url';

/** Endpoints per account: each event is written once per subscribed endpoint, in the transaction of the change. */
export const MAX_ENDPOINTS_PER_ACCOUNT = 20;
/** How long the secret a rotation replaces keeps signing beside the new one, so receivers can switch without missing a delivery. */
export const PREVIOUS_SECRET_TTL_MS = 24 * 60 * 60 * 1000;
const DESCRIPTION_MAX_LENGTH = 500;

export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

/**
 * The account's webhook endpoints and their deliveries. Account-wide only:
 * the webhooks permissions are not client-scoped, and a client key is
 * refused here too. `wake` tells the dispatcher a redelivery is waiting.
 */
export class WebhookEndpointService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly allowPrivateUrls: boolean,
    private readonly wake: () => void,
  ) {}

  async create(caller: Caller, input: CreateWebhookEndpointInput): Promise<EndpointWithSecret> {
    const principal = accountWide(caller);
    const url = await this.checkedUrl(input.url);
    const events = normalizeEvents(input.events);
    const description = normalizeOptionalText(input.description, 'description', DESCRIPTION_MAX_LENGTH);
    const secret = newSigningSecret();
    return this.transactor.run(async (manager) => {
      await lockAccountEndpoints(manager, principal.accountId);
      const count = await manager.getRepository(WebhookEndpoint).countBy({ accountId: principal.accountId });
      if (count >= MAX_ENDPOINTS_PER_ACCOUNT) {
        throw new LimitExceededError(
          `An account can have at most ${MAX_ENDPOINTS_PER_ACCOUNT} webhook endpoints`,
          MAX_ENDPOINTS_PER_ACCOUNT,
        );
      }
      const now = new Date(this.clock.now());
      const endpoint = manager.create(WebhookEndpoint, {
        accountId: principal.accountId,
        url,
        events,
        description,
        status: WebhookEndpointStatus.ACTIVE,
        secret,
        previousSecret: null,
        previousSecretExpiresAt: null,
        createdAt: now,
        updatedAt: now,
      });
      await manager.save(endpoint);
      await this.audit.record(manager, caller, endpointAudit(endpoint, AuditAction.WEBHOOK_ENDPOINT_CREATED, { url, events, description }));
      return { endpoint, secret };
    });
  }

  list(caller: Caller): Promise<WebhookEndpoint[]> {
    const principal = accountWide(caller);
    return this.dataSource.getRepository(WebhookEndpoint).find({ where: { accountId: principal.accountId }, order: { id: 'ASC' } });
  }

  async update(caller: Caller, rawId: string, input: UpdateWebhookEndpointInput): Promise<WebhookEndpoint> {
    const principal = accountWide(caller);
    if (input.url === null) throw new BadUserInputError('url', 'url cannot be cleared: an endpoint always has one');
    if (input.events === null) throw new BadUserInputError('events', 'events cannot be cleared: an endpoint receives at least one');
    const url = input.url === undefined ? undefined : await this.checkedUrl(input.url);
    const events = input.events === undefined ? undefined : normalizeEvents(input.events);
    const description =
      input.description === undefined ? undefined : normalizeOptionalText(input.description, 'description', DESCRIPTION_MAX_LENGTH);
    return this.transactor.run(async (manager) => {
      const endpoint = await lockEndpoint(manager, principal, rawId);
      const details: Record<string, { from: unknown; to: unknown }> = {};
      if (url !== undefined && url !== endpoint.url) details.url = { from: endpoint.url, to: url };
      if (events !== undefined && events.join() !== endpoint.events.join()) details.events = { from: endpoint.events, to: events };
      if (description !== undefined && description !== endpoint.description) {
        details.description = { from: endpoint.description, to: description };
      }
      if (Object.keys(details).length === 0) return endpoint;
      Object.assign(
        endpoint,
        { url: url ?? endpoint.url, events: events ?? endpoint.events },
        description === undefined ? {} : { description },
      );
      endpoint.updatedAt = new Date(this.clock.now());
      await manager.save(endpoint);
      await this.audit.record(manager, caller, endpointAudit(endpoint, AuditAction.WEBHOOK_ENDPOINT_UPDATED, details));
      return endpoint;
    });
  }

  /** The endpoint and its deliveries (pending ones are never sent); its audit events stay. */
  delete(caller: Caller, rawId: string): Promise<string> {
    const principal = accountWide(caller);
    return this.transactor.run(async (manager) => {
      const endpoint = await lockEndpoint(manager, principal, rawId);
      await manager.delete(WebhookDelivery, { endpointId: endpoint.id });
      await manager.delete(WebhookEndpoint, { id: endpoint.id });
      await this.audit.record(manager, caller, endpointAudit(endpoint, AuditAction.WEBHOOK_ENDPOINT_DELETED));
      return String(endpoint.id);
    });
  }

  /**
   * A new secret; the one it replaces keeps signing beside it for 24 hours
   * (each delivery carries both signatures), so the receiver can switch
   * without a gap. A second rotation within that time retires the oldest.
   */
  rotateSecret(caller: Caller, rawId: string): Promise<EndpointWithSecret> {
    const principal = accountWide(caller);
    const secret = newSigningSecret();
    return this.transactor.run(async (manager) => {
      const endpoint = await lockEndpoint(manager, principal, rawId);
      const now = this.clock.now();
      endpoint.previousSecret = endpoint.secret;
      endpoint.previousSecretExpiresAt = new Date(now + PREVIOUS_SECRET_TTL_MS);
      endpoint.secret = secret;
      endpoint.updatedAt = new Date(now);
      await manager.save(endpoint);
      await this.audit.record(
        manager,
        caller,
        endpointAudit(endpoint, AuditAction.WEBHOOK_SECRET_ROTATED, {
          previousSecretValidUntil: endpoint.previousSecretExpiresAt.toISOString(),
        }),
      );
      return { endpoint, secret };
    });
  }

  /** Newest first. Another account's endpoint, like one that does not exist, has none: an empty list, as with any filter out of reach. */
  deliveries(
    caller: Caller,
    rawEndpointId: string,
    filter: WebhookDeliveryFilter | undefined,
    page: PageArgs,
  ): Promise<Page<WebhookDelivery>> {
    const principal = accountWide(caller);
    const query = this.dataSource
      .getRepository(WebhookDelivery)
      .createQueryBuilder('delivery')
      .where('delivery.accountId = :accountId AND delivery.endpointId = :endpointId', {
        accountId: principal.accountId,
        endpointId: parseId(rawEndpointId) ?? -1,
      });
    if (filter?.status) query.andWhere('delivery.status = :status', { status: filter.status });
    if (filter?.eventType) query.andWhere('delivery.eventType = :eventType', { eventType: filter.eventType });
    return paginate(query, page);
  }

  /**
   * Sends the delivery's event to its endpoint again, as a new delivery with
   * the same webhook-id (the receiver's duplicate check still works): for a
   * FAILED one once the receiver is fixed, or a DELIVERED one it lost.
   */
  async redeliver(caller: Caller, rawDeliveryId: string): Promise<WebhookDelivery> {
    const principal = accountWide(caller);
    const id = parseId(rawDeliveryId);
    const created = await this.transactor.run(async (manager) => {
      const original = id === null ? null : await manager.getRepository(WebhookDelivery).findOneBy({ id, accountId: principal.accountId });
      if (!original) throw new NotFoundError('Webhook delivery', rawDeliveryId);
      const endpoint = await lockEndpoint(manager, principal, String(original.endpointId));
      const now = new Date(this.clock.now());
      const delivery = manager.create(WebhookDelivery, pendingDelivery(original, now));
      await manager.save(delivery);
      await this.audit.record(
        manager,
        caller,
        endpointAudit(endpoint, AuditAction.WEBHOOK_REDELIVERY_REQUESTED, {
          deliveryId: String(original.id),
          redeliveryId: String(delivery.id),
          eventId: original.eventId,
          eventType: original.eventType,
        }),
      );
      return delivery;
    });
    this.wake();
    return created;
  }

  private async checkedUrl(raw: string): Promise<string> {
    try {
      const url = parseWebhookUrl(raw, this.allowPrivateUrls);
      await resolveWebhookTarget(url, this.allowPrivateUrls);
      return url.toString();
    } catch (error) {
      if (error instanceof WebhookUrlError) throw new BadUserInputError('url', error.message);
      throw error;
    }
  }
}

function accountWide(caller: Caller): AccountPrincipal {
  const principal = requireAccountPrincipal(caller.principal);
  if (principal.clientId !== null) throw new ForbiddenError('Client keys cannot manage webhooks: they belong to the account');
  return principal;
}

function normalizeEvents(events: readonly WebhookEventType[]): WebhookEventType[] {
  const wanted = new Set(events);
  if (wanted.size === 0) throw new BadUserInputError('events', 'events must name at least one event type');
  // Catalogue order, no duplicates: stored lists compare equal.
  return Object.values(WebhookEventType).filter((type) => wanted.has(type));
}

/** Serialises creations in one account on its row (as key creation does), so the endpoint limit holds under concurrency. */
async function lockAccountEndpoints(manager: EntityManager, accountId: number): Promise<void> {
  await forUpdate(manager, manager.getRepository(Account).createQueryBuilder('account'))
    .where('account.id = :id', { id: accountId })
    .getOne();
}

async function lockEndpoint(manager: EntityManager, principal: AccountPrincipal, rawId: string): Promise<WebhookEndpoint> {
  const id = parseId(rawId);
  const endpoint =
    id === null
      ? null
      : await forUpdate(manager, manager.getRepository(WebhookEndpoint).createQueryBuilder('endpoint'))
          .where('endpoint.id = :id AND endpoint.accountId = :accountId', { id, accountId: principal.accountId })
          .getOne();
  if (!endpoint) throw new NotFoundError('Webhook endpoint', rawId);
  return endpoint;
}

function endpointAudit(endpoint: WebhookEndpoint, action: AuditAction, details: Record<string, unknown> = {}): AuditEntry {
  return {
    accountId: endpoint.accountId,
    action,
    targetType: AuditTargetType.WEBHOOK_ENDPOINT,
    targetId: endpoint.id,
    targetName: endpoint.url,
    details,
  };
}
