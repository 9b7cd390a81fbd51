import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource, EntityManager } from 'typeorm';
import { AuditAction, AuditTargetType } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { Transactor } from '../db/transactions';
import { Logger } from '../logging/logger';
import { Clock } from '../shared/clock';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEndpoint, WebhookEndpointStatus } from './webhook-endpoint.entity';
import { WebhookOutcome, WebhookSend } from './webhook-sender';
import { signedHeaders } from './webhook-signature';
import { KeyExpiryScan } from './key-expiry-scan';
import { MINUTE, RETRY_DELAYS_MS } from './webhook-schedule';
import { WebhookRetention } from './webhook-retention';
import { Leased, WebhookLeases } from './webhook-leases';

/** Attempts one process runs at once (each to a different endpoint). */
const MAX_IN_FLIGHT = 16;
/** A wake-up waits this long, so the transaction that recorded the event has committed. */
const WAKE_DELAY_MS = 25;
/** The expiry scan and the outbox's clean-up: once a minute by the clock, on the first pass after it has moved on. */
const HOUSEKEEPING_EVERY_MS = MINUTE;
/** Who the audit log says marked an endpoint FAILING. */
export const DISPATCHER_ACTOR = 'keyward (webhooks)';

/**
 * Delivers the outbox, at least once, in the server process but outside any
 * request: a slow receiver holds only its own attempts.
 *
 * Each attempt is leased first (WebhookLeases: owner and until when, written in a
 * transaction that takes the rows with FOR UPDATE SKIP LOCKED on MySQL), so
 * several instances never run the same attempt at once; a process killed
 * mid-attempt leaves a lease that runs out, and another takes the attempt
 * again (the receiver may see it twice, with the same webhook-id).
 *
 * Order per endpoint: a delivery is not taken while an older one of its
 * endpoint is in flight or not yet tried. An older one waiting for a retry
 * does not hold the rest back, so one event a receiver keeps refusing does
 * not stop every later one for three days.
 */
export class WebhookDispatcher {
  private readonly owner = `${hostname().slice(0, 40)}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly inFlight = new Set<Promise<void>>();
  private passing: Promise<unknown> = Promise.resolve();
  private poller: NodeJS.Timeout | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private running = false;
  private lastHousekeepingAt = Number.NEGATIVE_INFINITY;
  private readonly retention: WebhookRetention;
  private readonly leases: WebhookLeases;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly audit: AuditService,
    private readonly expiries: KeyExpiryScan,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: { pollMs: number; send: WebhookSend },
  ) {
    this.retention = new WebhookRetention(dataSource, clock);
    this.leases = new WebhookLeases(dataSource, transactor, clock, this.owner);
  }

  /** The server starts it after migrating; the CLI never does. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.poller = setInterval(() => this.wake(), this.options.pollMs);
    this.poller.unref();
  }

  /** No new attempts; those under way finish (each within its timeout) so their outcome is written. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.poller) clearInterval(this.poller);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.poller = this.wakeTimer = null;
    await this.passing;
    await this.settled();
  }

  /** A pass soon: after an event is recorded, and after an attempt ends (the endpoint's next delivery may go now). */
  wake(): void {
    if (!this.running || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      void this.serial(async () => {
        if (this.clock.now() - this.lastHousekeepingAt >= HOUSEKEEPING_EVERY_MS) await this.housekeeping();
        await this.pass();
      });
    }, WAKE_DELAY_MS);
    this.wakeTimer.unref();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.passing.then(work);
    this.passing = result.catch((error: unknown) =>
      this.logger.error({ err: error }, 'webhook dispatch pass failed; the next one retries'),
    );
    return result;
  }

  private async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async housekeeping(): Promise<void> {
    this.lastHousekeepingAt = this.clock.now();
    await this.expiries.run();
    await this.retention.purge();
  }

  /** Leases what is due (up to the free slots) and starts each attempt; returns how many it started. */
  private async pass(): Promise<number> {
    const room = MAX_IN_FLIGHT - this.inFlight.size;
    if (room <= 0 || !this.dataSource.isInitialized) return 0;
    const leased = await this.leases.take(room);
    for (const item of leased) {
      const attempt: Promise<void> = this.attempt(item)
        .catch((error: unknown) =>
          this.logger.error(
            { err: error, delivery: item.delivery.id },
            'webhook attempt could not be recorded; its lease will run out and it is retried',
          ),
        )
        .finally(() => {
          this.inFlight.delete(attempt);
          this.wake();
        });
      this.inFlight.add(attempt);
    }
    return leased.length;
  }

  private async attempt({ delivery, event, endpoint }: Leased): Promise<void> {
    if (!event || !endpoint) {
      // Its endpoint was deleted after the lease: nothing to send it to.
      await this.dataSource.getRepository(WebhookDelivery).delete({ id: delivery.id });
      return;
    }
    const nowMs = this.clock.now();
    const secrets = [endpoint.secret];
    if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt.getTime() > nowMs) {
      secrets.push(endpoint.previousSecret);
    }
    const headers = signedHeaders(event.id, Math.floor(nowMs / 1000), event.body, secrets);
    const outcome = await this.options.send({ url: endpoint.url, headers, body: event.body });
    await this.transactor.run((manager) => this.record(manager, delivery, endpoint, outcome));
  }

  private async record(
    manager: EntityManager,
    delivery: WebhookDelivery,
    endpoint: WebhookEndpoint,
    outcome: WebhookOutcome,
  ): Promise<void> {
    const now = new Date(this.clock.now());
    const answered = { lastResponseCode: outcome.status, lastAttemptAt: now, leaseOwner: null, leaseUntil: null };
    const deliveries = manager.createQueryBuilder().update(WebhookDelivery);
    const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
    if (ok) {
      // Recorded even if our lease ran out meanwhile: the receiver has it, and a second attempt would only repeat it.
      await deliveries
        .set({ ...answered, status: WebhookDeliveryStatus.DELIVERED, attempts: () => 'attempts + 1', lastError: null })
        .where('id = :id AND status = :pending', { id: delivery.id, pending: WebhookDeliveryStatus.PENDING })
        .execute();
      // As read when the delivery was leased: a healthy endpoint costs no statement here.
      if (endpoint.status === WebhookEndpointStatus.FAILING) {
        await this.markEndpoint(
          manager,
          endpoint,
          WebhookEndpointStatus.FAILING,
          WebhookEndpointStatus.ACTIVE,
          AuditAction.WEBHOOK_ENDPOINT_RECOVERED,
          {
            deliveryId: String(delivery.id),
          },
        );
      }
      return;
    }
    const attempts = delivery.attempts + 1;
    const exhausted = attempts > RETRY_DELAYS_MS.length;
    const error = outcome.error ?? `answered HTTP ${outcome.status}`;
    const result = await deliveries
      .set({
        ...answered,
        attempts,
        lastError: error.slice(0, 500),
        status: exhausted ? WebhookDeliveryStatus.FAILED : WebhookDeliveryStatus.PENDING,
        nextAttemptAt: exhausted ? delivery.nextAttemptAt : new Date(now.getTime() + RETRY_DELAYS_MS[attempts - 1]),
      })
      // Only while the lease is ours: if it ran out, another process owns the attempt now.
      .where('id = :id AND status = :pending AND lease_owner = :owner', {
        id: delivery.id,
        pending: WebhookDeliveryStatus.PENDING,
        owner: this.owner,
      })
      .execute();
    if (exhausted && result.affected) {
      await this.markEndpoint(
        manager,
        endpoint,
        WebhookEndpointStatus.ACTIVE,
        WebhookEndpointStatus.FAILING,
        AuditAction.WEBHOOK_ENDPOINT_FAILING,
        {
          deliveryId: String(delivery.id),
          eventId: delivery.eventId,
          attempts,
          lastResponseCode: outcome.status,
          lastError: error.slice(0, 500),
        },
      );
    }
  }

  /** Moves the endpoint from one status to the other (once, however many deliveries race) and audits it. */
  private async markEndpoint(
    manager: EntityManager,
    endpoint: WebhookEndpoint,
    from: WebhookEndpointStatus,
    to: WebhookEndpointStatus,
    action: AuditAction,
    details: Record<string, unknown>,
  ): Promise<void> {
    const moved = await manager
      .createQueryBuilder()
      .update(WebhookEndpoint)
      .set({ status: to, updatedAt: new Date(this.clock.now()) })
      .where('id = :id AND status = :from', { id: endpoint.id, from })
      .execute();
    if (!moved.affected) return;
    await this.audit.recordSystem(manager, DISPATCHER_ACTOR, {
      accountId: endpoint.accountId,
      action,
      targetType: AuditTargetType.WEBHOOK_ENDPOINT,
      targetId: endpoint.id,
      targetName: endpoint.url,
      details,
    });
  }
}
