import { DataSource } from 'typeorm';
import { actorSeenBy } from '../audit/audit-actor';
import { Caller } from '../shared/caller';
import { AccountPrincipal, requireAccountPrincipal } from '../shared/principal';
import { parseId } from '../shared/ids';
import { Page, PageArgs, paginate } from '../shared/pagination';
import { containsPattern, LIKE_ESCAPE_SQL } from '../shared/text';
import { whereStatus } from './api-key-status';
import { Clock } from '../shared/clock';
import { ApiKey } from './api-key.entity';
import { ApiKeyFilter, RevokedKeyFilter } from './api-key.inputs';
import { keysInScope } from './api-key.scope';
import { RevokedKey } from './revoked-key.entity';
import { inTenantScope, whereClientIs } from '../shared/tenant-scope';

/** Reads of live and revoked keys, always within the caller's scope. */
export class ApiKeyQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  list(caller: Caller, filter: ApiKeyFilter | undefined, page: PageArgs): Promise<Page<ApiKey>> {
    const principal = requireAccountPrincipal(caller.principal);
    const query = keysInScope(this.dataSource.manager, principal);
    if (filter?.kind) query.andWhere('key.kind = :kind', { kind: filter.kind });
    if (filter?.clientId != null) whereClientIs(query, 'key', filter.clientId);
    if (filter?.name) query.andWhere(`key.name LIKE :name ${LIKE_ESCAPE_SQL}`, { name: containsPattern(filter.name) });
    if (filter?.status) whereStatus(query, 'key', filter.status, this.clock.now());
    return paginate(query, page);
  }

  async get(caller: Caller, rawId: string): Promise<ApiKey | null> {
    const id = parseId(rawId);
    if (id === null) return null;
    return keysInScope(this.dataSource.manager, requireAccountPrincipal(caller.principal)).andWhere('key.id = :id', { id }).getOne();
  }

  /** Who revoked each key reads as the audit log's actors do (a client key sees only its client's keys by prefix). */
  async listRevoked(caller: Caller, filter: RevokedKeyFilter | undefined, page: PageArgs): Promise<Page<RevokedKey>> {
    const principal = requireAccountPrincipal(caller.principal);
    const query = inTenantScope(this.dataSource.getRepository(RevokedKey), 'revoked', principal);
    if (filter?.clientId != null) whereClientIs(query, 'revoked', filter.clientId);
    if (filter?.name) {
      query.andWhere(`revoked.name LIKE :name ${LIKE_ESCAPE_SQL}`, { name: containsPattern(filter.name) });
    }
    const revoked = await paginate(query, page);
    for (const { node } of revoked.edges) node.revokedBy = actorSeenBy(principal, node.revokedBy);
    return revoked;
  }

  /** For the Client.apiKeys loader: one query for any number of clients, newest first. */
  async keysOfClients(principal: AccountPrincipal, clientIds: readonly number[]): Promise<Map<number, ApiKey[]>> {
    const keys = await keysInScope(this.dataSource.manager, principal)
      .andWhere('key.clientId IN (:...clientIds)', { clientIds })
      .orderBy('key.id', 'DESC')
      .getMany();
    const byClient = new Map<number, ApiKey[]>(clientIds.map((id) => [id, []]));
    for (const key of keys) byClient.get(key.clientId as number)?.push(key);
    return byClient;
  }
}
