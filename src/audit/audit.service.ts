import { DataSource, EntityManager } from 'typeorm';
import { Caller } from '../shared/caller';
import { actorLabel, ANONYMOUS, requireAccountPrincipal } from '../shared/principal';
import { LIKE_ESCAPE_SQL, containsPattern } from '../shared/text';
import { PageArgs, Page, paginate } from '../shared/pagination';
import { AuditAction, AuditTargetType } from './audit-action';
import { AuditEvent } from './audit-event.entity';
import { AuditEventFilter } from './audit.inputs';
import { inTenantScope } from '../shared/tenant-scope';
import { actorSeenBy, actorSeenBySql } from './audit-actor';

export interface AuditEntry {
  accountId: number;
  clientId?: number | null;
  action: AuditAction;
  targetType: AuditTargetType;
  targetId: number | string;
  targetPrefix?: string | null;
  targetName?: string | null;
  details?: Record<string, unknown>;
}

export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /** Always called with the manager of the transaction that makes the change: both land or neither. */
  async record(manager: EntityManager, caller: Caller, entry: AuditEntry, actor = actorLabel(caller.principal)): Promise<void> {
    const event = manager.create(AuditEvent, {
      accountId: entry.accountId,
      clientId: entry.clientId ?? null,
      actor,
      action: entry.action,
      targetType: entry.targetType,
      targetId: String(entry.targetId),
      targetPrefix: entry.targetPrefix ?? null,
      targetName: entry.targetName ?? null,
      details: entry.details ?? {},
      ip: caller.ip?.slice(0, 45) ?? null,
      userAgent: caller.userAgent?.slice(0, 255) ?? null,
      createdAt: new Date(),
    });
    await manager.save(event);
  }

  /** What keyward does by itself, outside any request (the webhook dispatcher): `actor` names the part that did it. */
  async recordSystem(manager: EntityManager, actor: string, entry: AuditEntry): Promise<void> {
    await this.record(manager, { principal: ANONYMOUS, ip: null, userAgent: null }, entry, actor);
  }

  /** The caller's account's trail; a client key sees only its own client's, and only its own keys as actors. */
  async list(caller: Caller, filter: AuditEventFilter | undefined, page: PageArgs): Promise<Page<AuditEvent>> {
    const principal = requireAccountPrincipal(caller.principal);
    const query = inTenantScope(this.dataSource.getRepository(AuditEvent), 'event', principal);
    if (filter?.action) query.andWhere('event.action = :action', { action: filter.action });
    if (filter?.targetType) query.andWhere('event.targetType = :targetType', { targetType: filter.targetType });
    if (filter?.targetId) query.andWhere('event.targetId = :targetId', { targetId: filter.targetId });
    if (filter?.apiKeyId) {
      query.andWhere('event.targetType = :keyType AND event.targetId = :keyId', {
        keyType: AuditTargetType.API_KEY,
        keyId: filter.apiKeyId,
      });
    }
    if (filter?.actor) {
      const actor = actorSeenBySql(principal, 'event.actor');
      query.andWhere(`${actor} LIKE :actor ${LIKE_ESCAPE_SQL}`, { actor: containsPattern(filter.actor) });
    }
    if (filter?.targetPrefix) query.andWhere('event.targetPrefix = :prefix', { prefix: filter.targetPrefix });
    const events = await paginate(query, page);
    for (const { node } of events.edges) node.actor = actorSeenBy(principal, node.actor);
    return events;
  }
}
