import { DataSource } from 'typeorm';
import { AuditAction, AuditTargetType } from '../audit/audit-action';
import { AuditEntry, AuditService } from '../audit/audit.service';
import { Caller } from '../shared/caller';
import { AccountPrincipal, requireAccountPrincipal } from '../shared/principal';
import { ForbiddenError, NotFoundError } from '../shared/errors';
import { parseId } from '../shared/ids';
import { Page, PageArgs, paginate } from '../shared/pagination';
import { containsPattern, LIKE_ESCAPE_SQL } from '../shared/text';
import { forUpdate } from '../db/locking';
import { normalizeName } from '../shared/validators';
import { Transactor } from '../db/transactions';
import { KeyChangeNotifier } from '../shared/key-changes';
import { Client } from './client.entity';
import { ClientFilter, CreateClientInput } from './client.inputs';
import { inTenantScope } from '../shared/tenant-scope';

/** Client sub-accounts. Managed by the account (client keys cannot hold clients:* permissions). */
export class ClientService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly audit: AuditService,
    private readonly keyChanges: KeyChangeNotifier,
  ) {}

  create(caller: Caller, input: CreateClientInput): Promise<Client> {
    const principal = accountWidePrincipal(caller);
    return this.transactor.run(async (manager) => {
      const client = manager.create(Client, { accountId: principal.accountId, name: normalizeName(input.name) });
      await manager.save(client);
      await this.audit.record(manager, caller, clientAuditEntry(client, AuditAction.CLIENT_CREATED));
      return client;
    });
  }

  async rename(caller: Caller, rawId: string, name: string): Promise<Client> {
    const principal = accountWidePrincipal(caller);
    const id = parseId(rawId);
    const to = normalizeName(name);
    let renamed = false;
    const client = await this.transactor.run(async (manager) => {
      const client =
        id === null
          ? null
          : await forUpdate(manager, manager.getRepository(Client).createQueryBuilder('client'))
              .where('client.id = :id AND client.accountId = :accountId', { id, accountId: principal.accountId })
              .getOne();
      if (!client) throw new NotFoundError('Client', rawId);
      const from = client.name;
      if (from === to) return client;
      client.name = to;
      await manager.save(client);
      await this.audit.record(manager, caller, clientAuditEntry(client, AuditAction.CLIENT_RENAMED, { from, to }));
      renamed = true;
      return client;
    });
    // After the commit: a verification in between must not cache the old name again.
    if (renamed) this.keyChanges.clientChanged(client.id);
    return client;
  }

  list(caller: Caller, filter: ClientFilter | undefined, page: PageArgs): Promise<Page<Client>> {
    const principal = requireAccountPrincipal(caller.principal);
    const query = inTenantScope(this.dataSource.getRepository(Client), 'client', principal, 'id');
    if (filter?.name) {
      query.andWhere(`client.name LIKE :name ${LIKE_ESCAPE_SQL}`, { name: containsPattern(filter.name) });
    }
    return paginate(query, page);
  }

  async get(caller: Caller, rawId: string): Promise<Client | null> {
    const id = parseId(rawId);
    const principal = requireAccountPrincipal(caller.principal);
    if (id === null || (principal.clientId !== null && principal.clientId !== id)) return null;
    return this.dataSource.getRepository(Client).findOneBy({ id, accountId: principal.accountId });
  }

  /** For loaders: the principal's clients among these ids, in one query. */
  async byIds(principal: AccountPrincipal, ids: readonly number[]): Promise<Map<number, Client>> {
    const clients = await this.dataSource
      .getRepository(Client)
      .createQueryBuilder('client')
      .where('client.accountId = :accountId AND client.id IN (:...ids)', { accountId: principal.accountId, ids })
      .getMany();
    return new Map(clients.map((client) => [client.id, client]));
  }
}

function accountWidePrincipal(caller: Caller): AccountPrincipal {
  const principal = requireAccountPrincipal(caller.principal);
  if (principal.clientId !== null) throw new ForbiddenError('Client keys cannot manage clients');
  return principal;
}

function clientAuditEntry(client: Client, action: AuditAction, details: Record<string, unknown> = {}): AuditEntry {
  return {
    accountId: client.accountId,
    clientId: client.id,
    action,
    targetType: AuditTargetType.CLIENT,
    targetId: client.id,
    targetName: client.name,
    details,
  };
}
