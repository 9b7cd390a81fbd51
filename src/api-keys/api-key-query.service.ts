import { Brackets, DataSource, SelectQueryBuilder } from 'typeorm';
import { Caller } from '../shared/caller';
import { AccountPrincipal, requireAccountPrincipal } from '../shared/principal';
import { parseId } from '../shared/ids';
import { Page, PageArgs, paginate } from '../shared/pagination';
import { containsPattern, LIKE_ESCAPE_SQL } from '../shared/text';
import { ApiKeyStatus } from './api-key-status';
import { ApiKey } from './api-key.entity';
import { ApiKeyFilter, RevokedKeyFilter } from './api-key.inputs';
import { keysInScope } from './api-key.scope';
import { RevokedKey } from './revoked-key.entity';
import { inTenantScope } from '../shared/tenant-scope';

/** Reads of live and revoked keys, always within the caller's scope. */
export class ApiKeyQueries {
  constructor(private readonly dataSource: DataSource) {}

  list(caller: Caller, filter: ApiKeyFilter | undefined, page: PageArgs): Promise<Page<ApiKey>> {
    const principal = requireAccountPrincipal(caller.principal);
    const query = keysInScope(this.dataSource.manager, principal);
    if (filter?.kind) query.andWhere('key.kind = :kind', { kind: filter.kind });
    if (filter?.clientId != null) whereClient(query, 'key', filter.clientId);
    if (filter?.name) query.andWhere(`key.name LIKE :name ${LIKE_ESCAPE_SQL}`, { name: containsPattern(filter.name) });
    if (filter?.status) whereStatus(query, filter.status, new Date());
    return paginate(query, page);
  }

  async get(caller: Caller, rawId: string): Promise<ApiKey | null> {
    const id = parseId(rawId);
    if (id === null) return null;
    return keysInScope(this.dataSource.manager, requireAccountPrincipal(caller.principal))
      .andWhere('key.id = :id', { id })
      .getOne();
  }

  listRevoked(caller: Caller, filter: RevokedKeyFilter | undefined, page: PageArgs): Promise<Page<RevokedKey>> {
    const principal = requireAccountPrincipal(caller.principal);
    const query = inTenantScope(this.dataSource.getRepository(RevokedKey), 'revoked', principal);
    if (filter?.clientId != null) whereClient(query, 'revoked', filter.clientId);
    if (filter?.name) {
      query.andWhere(`revoked.name LIKE :name ${LIKE_ESCAPE_SQL}`, { name: containsPattern(filter.name) });
    }
    return paginate(query, page);
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

/** An id that cannot exist filters to nothing, like a client of another account. */
function whereClient<T extends { clientId: number | null }>(
  query: SelectQueryBuilder<T>,
  alias: string,
  rawClientId: string,
): void {
  query.andWhere(`${alias}.clientId = :filterClientId`, { filterClientId: parseId(rawClientId) ?? -1 });
}

/** Status in SQL, not in memory, so pages and totalCount agree. EXPIRED wins over INACTIVE. */
function whereStatus(query: SelectQueryBuilder<ApiKey>, status: ApiKeyStatus, now: Date): void {
  if (status === ApiKeyStatus.EXPIRED) {
    query.andWhere('key.expiresAt IS NOT NULL AND key.expiresAt <= :now', { now });
    return;
  }
  query
    .andWhere(new Brackets((live) => live.where('key.expiresAt IS NULL').orWhere('key.expiresAt > :now', { now })))
    .andWhere('key.active = :active', { active: status === ApiKeyStatus.ACTIVE });
}

