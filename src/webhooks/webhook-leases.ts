import { DataSource, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { Transactor } from '../db/transactions';
import { Clock } from '../shared/clock';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEvent } from './webhook-event.entity';
import { LEASE_MS } from './webhook-schedule';

export interface Leased {
  delivery: WebhookDelivery;
  event: WebhookEvent | undefined;
  endpoint: WebhookEndpoint | undefined;
}

/**
 * The dispatcher's leases: which attempts this process makes next. Each is
 * leased first (owner and until when, written in a transaction that takes
 * the rows with FOR UPDATE SKIP LOCKED on MySQL), so several instances never
 * run the same attempt at once; a process killed mid-attempt leaves a lease
 * that runs out, and another takes the attempt again.
 *
 * Order per endpoint: a delivery is not taken while an older one of its
 * endpoint is in flight or not yet tried, and an endpoint's deliveries are
 * leased by one instance at a time (lockDueEndpoints).
 */
export class WebhookLeases {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly clock: Clock,
    private readonly owner: string,
  ) {}

  /** Leases what is due, up to `limit` attempts and one per endpoint, oldest first. */
  async take(limit: number): Promise<Leased[]> {
    const now = new Date(this.clock.now());
    const mysql = this.dataSource.options.type !== 'better-sqlite3';
    const ids = await this.transactor.run(async (manager) => {
      const endpointIds = mysql ? await lockDueEndpoints(manager, now, limit * 4) : null;
      if (endpointIds?.length === 0) return [];
      const query = dueDeliveries(manager, now)
        .select(['d.id', 'd.endpointId'])
        .andWhere(
          `NOT EXISTS (SELECT 1 FROM webhook_deliveries o WHERE o.endpoint_id = d.endpoint_id AND o.status = :pending
             AND o.id < d.id AND (o.attempts = 0 OR o.lease_until > :now))`,
        )
        .orderBy('d.nextAttemptAt', 'ASC')
        .addOrderBy('d.id', 'ASC')
        .limit(limit * 4);
      if (endpointIds) query.andWhere('d.endpointId IN (:...endpointIds)', { endpointIds });
      if (mysql) query.setLock('pessimistic_write').setOnLocked('skip_locked');
      const due = await query.getMany();
      // One per endpoint in a pass: its next one goes when this one is answered.
      const seen = new Set<number>();
      const chosen = due
        .filter((d) => !seen.has(d.endpointId) && seen.add(d.endpointId))
        .slice(0, limit)
        .map((d) => d.id);
      if (chosen.length === 0) return [];
      await manager
        .createQueryBuilder()
        .update(WebhookDelivery)
        .set({ leaseOwner: this.owner, leaseUntil: new Date(now.getTime() + LEASE_MS) })
        .where({ id: In(chosen) })
        .execute();
      return chosen;
    });
    if (ids.length === 0) return [];
    const deliveries = await this.dataSource.getRepository(WebhookDelivery).findBy({ id: In(ids) });
    const events = await this.dataSource.getRepository(WebhookEvent).findBy({ id: In(deliveries.map((d) => d.eventId)) });
    const endpoints = await this.dataSource.getRepository(WebhookEndpoint).findBy({ id: In(deliveries.map((d) => d.endpointId)) });
    return deliveries
      .sort((a, b) => a.id - b.id)
      .map((delivery) => ({
        delivery,
        event: events.find((e) => e.id === delivery.eventId),
        endpoint: endpoints.find((e) => e.id === delivery.endpointId),
      }));
  }
}

/**
 * MySQL/MariaDB: the endpoints with a delivery due, locked (FOR UPDATE SKIP
 * LOCKED) for this lease, so two instances never lease deliveries of one
 * endpoint at once. Without it the order check, a plain read inside the
 * locking one, could not see a lease another instance had taken and not yet
 * committed: both would find no older delivery in flight, and one would
 * send the endpoint's next delivery beside the one the other was sending
 * (seen as a retry accepted out of order). SQLite has one writer at a time,
 * which orders the leases already.
 */
async function lockDueEndpoints(manager: EntityManager, now: Date, limit: number): Promise<number[]> {
  const due = await dueDeliveries(manager, now)
    .select('DISTINCT d.endpointId', 'endpointId')
    .limit(limit)
    .getRawMany<{ endpointId: number | string }>();
  if (due.length === 0) return [];
  const locked = await manager
    .getRepository(WebhookEndpoint)
    .createQueryBuilder('e')
    .select(['e.id'])
    .where({ id: In(due.map((row) => Number(row.endpointId))) })
    .setLock('pessimistic_write')
    .setOnLocked('skip_locked')
    .getMany();
  return locked.map((endpoint) => endpoint.id);
}

/** Pending deliveries (as `d`) whose attempt is due and that no live lease holds: what a pass may take. */
function dueDeliveries(manager: EntityManager, now: Date): SelectQueryBuilder<WebhookDelivery> {
  return manager
    .getRepository(WebhookDelivery)
    .createQueryBuilder('d')
    .where('d.status = :pending', { pending: WebhookDeliveryStatus.PENDING })
    .andWhere('d.nextAttemptAt <= :now', { now })
    .andWhere('(d.leaseUntil IS NULL OR d.leaseUntil <= :now)');
}
