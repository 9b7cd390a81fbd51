import { DataSource, EntityManager } from 'typeorm';
import { AuditAction, AuditTargetType } from '../audit/audit-action';
import { AuditEntry, AuditService } from '../audit/audit.service';
import { Caller } from '../shared/caller';
import { AccountPrincipal, requireAccountPrincipal } from '../shared/principal';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../shared/errors';
import { parseId } from '../shared/ids';
import { Page, PageArgs, paginate } from '../shared/pagination';
import { containsPattern, LIKE_ESCAPE_SQL } from '../shared/text';
import { forUpdate } from '../db/locking';
import { normalizeName } from '../shared/validators';
import { Transactor } from '../db/transactions';
import { KeyChangeNotifier } from '../shared/key-changes';
import { Client } from './client.entity';
import { ClientFilter, CreateClientInput, UpdateClientInput } from './client.inputs';
import { EXTERNAL_ID_INDEX, normalizeExternalId } from './client-external-id';
import { isUniqueViolation } from '../db/unique-violation';
import { inTenantScope } from '../shared/tenant-scope';
import { EventRecorder } from '../shared/events';
import { clientEvent } from './client.events';

/** Client sub-accounts. Managed by the account (client keys cannot hold clients:* permissions). */
export class ClientService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly audit: AuditService,
    private readonly keyChanges: KeyChangeNotifier,
    private readonly events: EventRecorder,
  ) {}

  create(caller: Caller, input: CreateClientInput): Promise<Client> {
    const principal = accountWidePrincipal(caller);
    return this.transactor.run(async (manager) => {
      const client = manager.create(Client, {
        accountId: principal.accountId,
        name: normalizeName(input.name),
        externalId: normalizeExternalId(input.externalId),
      });
      await saveClient(manager, client);
      await this.audit.record(manager, caller, clientAuditEntry(client, AuditAction.CLIENT_CREATED));
      await this.events.record(manager, clientEvent('client.created', client));
      return client;
    });
  }

  async rename(caller: Caller, rawId: string, name: string): Promise<Client> {
    const principal = accountWidePrincipal(caller);
    const to = normalizeName(name);
    let renamed = false;
    const client = await this.transactor.run(async (manager) => {
      const client = await lockClient(manager, principal, rawId);
      const from = client.name;
      if (from === to) return client;
      client.name = to;
      await manager.save(client);
      await this.audit.record(manager, caller, clientAuditEntry(client, AuditAction.CLIENT_RENAMED, { from, to }));
      await this.events.record(manager, clientEvent('client.updated', client, { changes: { name: { from, to } } }));
      renamed = true;
      return client;
    });
    // After the commit: a verification in between must not cache the old name again.
    if (renamed) this.keyChanges.clientChanged(client.id);
    return client;
  }

  /**
   * updateClient: the name and the external id in one step (absent:
   * unchanged; externalId null: cleared), one CLIENT_UPDATED audit event with
   * what changed as from → to, and the client's keys re-read by every
   * instance (verification answers carry both).
   */
  async update(caller: Caller, rawId: string, input: UpdateClientInput): Promise<Client> {
    const principal = accountWidePrincipal(caller);
    if (input.name === null) throw new BadUserInputError('name', 'name cannot be cleared: a client always has one');
    const name = input.name === undefined ? undefined : normalizeName(input.name);
    const externalId = input.externalId === undefined ? undefined : normalizeExternalId(input.externalId);
    let changed = false;
    const client = await this.transactor.run(async (manager) => {
      const client = await lockClient(manager, principal, rawId);
      const details: Record<string, { from: unknown; to: unknown }> = {};
      if (name !== undefined && name !== client.name) details.name = { from: client.name, to: name };
      if (externalId !== undefined && externalId !== client.externalId) details.externalId = { from: client.externalId, to: externalId };
      if (Object.keys(details).length === 0) return client;
      if (name !== undefined) client.name = name;
      if (externalId !== undefined) client.externalId = externalId;
      await saveClient(manager, client);
      await this.audit.record(manager, caller, clientAuditEntry(client, AuditAction.CLIENT_UPDATED, details));
      await this.events.record(manager, clientEvent('client.updated', client, { changes: details }));
      changed = true;
      return client;
    });
    if (changed) this.keyChanges.clientChanged(client.id);
    return client;
  }

  /** clientByExternalId: the caller's client with this external id (compared without case), or null; a client key sees only its own. */
  async byExternalId(caller: Caller, rawExternalId: string): Promise<Client | null> {
    const principal = requireAccountPrincipal(caller.principal);
    const externalId = normalizeExternalId(rawExternalId);
    const client = await this.dataSource.getRepository(Client).findOneBy({ accountId: principal.accountId, externalId: externalId! });
    if (!client || (principal.clientId !== null && principal.clientId !== client.id)) return null;
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

/** The caller's account's client, row-locked for a change; NOT_FOUND for any other id. */
async function lockClient(manager: EntityManager, principal: AccountPrincipal, rawId: string): Promise<Client> {
  const id = parseId(rawId);
  const client =
    id === null
      ? null
      : await forUpdate(manager, manager.getRepository(Client).createQueryBuilder('client'))
          .where('client.id = :id AND client.accountId = :accountId', { id, accountId: principal.accountId })
          .getOne();
  if (!client) throw new NotFoundError('Client', rawId);
  return client;
}

/** Saves, answering a taken external id as the input error it is. */
async function saveClient(manager: EntityManager, client: Client): Promise<Client> {
  try {
    return await manager.save(client);
  } catch (error) {
    if (isUniqueViolation(error, EXTERNAL_ID_INDEX)) {
      throw new BadUserInputError('externalId', `Another client of this account already has the external id ${client.externalId}`);
    }
    throw error;
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
