import { DataSource, EntityManager } from 'typeorm';
import { Caller } from '../shared/caller';
import { AccountPrincipal, requireAccountPrincipal } from '../shared/principal';
import { Client } from '../clients/client.entity';
import { BadUserInputError, NotFoundError } from '../shared/errors';
import { parseId } from '../shared/ids';
import { Page, PageArgs, paginate } from '../shared/pagination';
import { containsPattern, LIKE_ESCAPE_SQL } from '../shared/text';
import { normalizeName, normalizeOptionalText } from '../shared/validators';
import { forUpdate } from '../db/locking';
import { Transactor } from '../db/transactions';
import { Lead } from './lead.entity';
import { CreateLeadInput, LeadFilter, UpdateLeadInput } from './lead.inputs';
import { COMPANY_MAX_LENGTH, normalizeEmail } from './lead.rules';
import { isUniqueViolation } from '../db/unique-violation';
import { clientForNewRow, inTenantScope, whereClientIs } from '../shared/tenant-scope';

/**
 * Leads: data, not key management. An account-wide principal reaches every
 * lead of its account; a client key only its own client's, and anything
 * outside that scope is NOT_FOUND, never FORBIDDEN. Lead changes write no
 * AuditEvent: the audit log is the trail of who changed which credentials,
 * and a partner syncing thousands of leads would bury it.
 */
export class LeadService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
  ) {}

  list(caller: Caller, filter: LeadFilter | undefined, page: PageArgs): Promise<Page<Lead>> {
    const query = leadsInScope(this.dataSource.manager, requireAccountPrincipal(caller.principal));
    if (filter?.email) {
      query.andWhere(`lead.email LIKE :email ${LIKE_ESCAPE_SQL}`, { email: containsPattern(filter.email.toLowerCase()) });
    }
    if (filter?.name) query.andWhere(`lead.name LIKE :name ${LIKE_ESCAPE_SQL}`, { name: containsPattern(filter.name) });
    if (filter?.clientId != null) whereClientIs(query, 'lead', filter.clientId);
    return paginate(query, page);
  }

  async get(caller: Caller, rawId: string): Promise<Lead | null> {
    const id = parseId(rawId);
    if (id === null) return null;
    return leadsInScope(this.dataSource.manager, requireAccountPrincipal(caller.principal)).andWhere('lead.id = :id', { id }).getOne();
  }

  create(caller: Caller, input: CreateLeadInput): Promise<Lead> {
    const principal = requireAccountPrincipal(caller.principal);
    const fields = {
      email: normalizeEmail(input.email),
      name: normalizeName(input.name),
      company: normalizeOptionalText(input.company, 'company', COMPANY_MAX_LENGTH),
    };
    return this.transactor.run(async (manager) => {
      const clientId = await clientForNewRow(principal, input.clientId ?? null, (id, accountId) =>
        manager.findOneBy(Client, { id, accountId }),
      );
      const lead = manager.create(Lead, { accountId: principal.accountId, clientId, ...fields });
      return saveLead(manager, lead);
    });
  }

  update(caller: Caller, rawId: string, input: UpdateLeadInput): Promise<Lead> {
    const principal = requireAccountPrincipal(caller.principal);
    const changes = leadChanges(input);
    return this.transactor.run(async (manager) => {
      const lead = await this.lockInScope(manager, principal, rawId);
      const changed = (Object.keys(changes) as Array<keyof typeof changes>).filter((key) => lead[key] !== changes[key]);
      if (changed.length === 0) return lead;
      Object.assign(lead, changes);
      return saveLead(manager, lead);
    });
  }

  delete(caller: Caller, rawId: string): Promise<string> {
    const principal = requireAccountPrincipal(caller.principal);
    return this.transactor.run(async (manager) => {
      const lead = await this.lockInScope(manager, principal, rawId);
      await manager.delete(Lead, { id: lead.id });
      return String(lead.id);
    });
  }

  private async lockInScope(manager: EntityManager, principal: AccountPrincipal, rawId: string): Promise<Lead> {
    const id = parseId(rawId);
    const lead = id === null ? null : await forUpdate(manager, leadsInScope(manager, principal)).andWhere('lead.id = :id', { id }).getOne();
    if (!lead) throw new NotFoundError('Lead', rawId);
    return lead;
  }
}

function leadsInScope(manager: EntityManager, principal: AccountPrincipal) {
  return inTenantScope(manager.getRepository(Lead), 'lead', principal);
}

/** Only the fields the input names; null means "clear" for company and is refused for the required ones. */
function leadChanges(input: UpdateLeadInput): Partial<Pick<Lead, 'email' | 'name' | 'company'>> {
  const changes: Partial<Pick<Lead, 'email' | 'name' | 'company'>> = {};
  if (input.email === null) throw new BadUserInputError('email', 'email cannot be null');
  if (input.name === null) throw new BadUserInputError('name', 'name cannot be null');
  if (input.email !== undefined) changes.email = normalizeEmail(input.email);
  if (input.name !== undefined) changes.name = normalizeName(input.name);
  if (input.company !== undefined) changes.company = normalizeOptionalText(input.company, 'company', COMPANY_MAX_LENGTH);
  return changes;
}

/**
 * The unique index decides duplicates, so two concurrent creations of one
 * email cannot both succeed; its violation becomes the BAD_USER_INPUT a
 * client can act on. It names only the lead's own scope, which the caller
 * reaches: emails elsewhere in the account never clash, so never show.
 */
async function saveLead(manager: EntityManager, lead: Lead): Promise<Lead> {
  try {
    return await manager.save(lead);
  } catch (error) {
    if (isUniqueViolation(error, EMAIL_INDEX)) {
      const scope = lead.clientId === null ? "among the account's own leads" : 'in this client';
      throw new BadUserInputError('email', `A lead with email ${lead.email} already exists ${scope}`);
    }
    throw error;
  }
}

/** One email per client, and per account among its own leads (see Lead.emailScope). */
const EMAIL_INDEX = { name: 'uq_leads_client_email', sqliteColumn: 'leads.email' };
