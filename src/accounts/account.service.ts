import { DataSource, EntityManager } from 'typeorm';
import { AuditAction, AuditTargetType } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { Caller } from '../shared/caller';
import { requireAccountPrincipal, requireOperator } from '../shared/principal';
import { KeyChangeNotifier } from '../shared/key-changes';
import { NotFoundError } from '../shared/errors';
import { parseId } from '../shared/ids';
import { Page, PageArgs, paginate } from '../shared/pagination';
import { forUpdate } from '../db/locking';
import { normalizeName } from '../shared/validators';
import { Transactor } from '../db/transactions';
import { Account, DEFAULT_RATE_LIMIT_PER_MINUTE } from './account.entity';
import { CreateAccountInput, MAX_RATE_LIMIT_PER_MINUTE, UpdateAccountInput } from './account.inputs';
import { BadUserInputError } from '../shared/errors';
import { DEFAULT_RATE_LIMIT_WINDOW, RateLimitWindow } from '../shared/rate-limit-window';

/**
 * Issues the primary admin key an account is born with, inside the account's
 * own transaction. api-keys owns how keys are made and depends on accounts, so
 * accounts names only what it needs and the wiring hands it the issuer.
 */
export interface PrimaryKeyIssuer<Issued> {
  createPrimary(manager: EntityManager, caller: Caller, account: Account): Promise<Issued>;
}

export interface NewAccount<Issued> {
  account: Account;
  primaryKey: Issued;
}

/** Accounts are the operator's to create and change; each is born with its primary admin key. */
export class AccountService<Issued> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly audit: AuditService,
    private readonly issuer: PrimaryKeyIssuer<Issued>,
    private readonly keyChanges: KeyChangeNotifier,
  ) {}

  create(caller: Caller, input: CreateAccountInput): Promise<NewAccount<Issued>> {
    requireOperator(caller.principal);
    return this.transactor.run(async (manager) => {
      const account = manager.create(Account, {
        name: normalizeName(input.name),
        rateLimitPerMinute: rateLimit(input.rateLimitPerMinute) ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
        rateLimitWindow: rateLimitWindow(input.rateLimitWindow) ?? DEFAULT_RATE_LIMIT_WINDOW,
        developerApiEnabled: input.developerApiEnabled ?? true,
      });
      await manager.save(account);
      await this.audit.record(manager, caller, {
        accountId: account.id,
        action: AuditAction.ACCOUNT_CREATED,
        targetType: AuditTargetType.ACCOUNT,
        targetId: account.id,
        targetName: account.name,
        details: {
          rateLimitPerMinute: account.rateLimitPerMinute,
          rateLimitWindow: account.rateLimitWindow,
          developerApiEnabled: account.developerApiEnabled,
        },
      });
      const primaryKey = await this.issuer.createPrimary(manager, caller, account);
      return { account, primaryKey };
    });
  }

  async update(caller: Caller, rawId: string, input: UpdateAccountInput): Promise<Account> {
    requireOperator(caller.principal);
    const id = parseId(rawId);
    const updated = await this.transactor.run(async (manager) => {
      const account =
        id === null
          ? null
          : await forUpdate(manager, manager.getRepository(Account).createQueryBuilder('account'))
              .where('account.id = :id', { id })
              .getOne();
      if (!account) throw new NotFoundError('Account', rawId);
      const wanted: Partial<Pick<Account, 'name' | 'rateLimitPerMinute' | 'rateLimitWindow' | 'developerApiEnabled'>> = {
        name: input.name == null ? undefined : normalizeName(input.name),
        rateLimitPerMinute: rateLimit(input.rateLimitPerMinute),
        rateLimitWindow: rateLimitWindow(input.rateLimitWindow),
        developerApiEnabled: input.developerApiEnabled ?? undefined,
      };
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const [field, to] of Object.entries(wanted) as Array<[keyof typeof wanted, never]>) {
        if (to === undefined || account[field] === to) continue;
        changes[field] = { from: account[field], to };
        account[field] = to;
      }
      if (Object.keys(changes).length === 0) return account;
      await manager.save(account);
      await this.audit.record(manager, caller, {
        accountId: account.id,
        action: AuditAction.ACCOUNT_UPDATED,
        targetType: AuditTargetType.ACCOUNT,
        targetId: account.id,
        targetName: account.name,
        details: changes,
      });
      return account;
    });
    // Cached keys carry the account (flag, plan limit and window): once committed, they are re-read.
    this.keyChanges.accountChanged(updated.id);
    return updated;
  }

  list(caller: Caller, page: PageArgs): Promise<Page<Account>> {
    requireOperator(caller.principal);
    return paginate(this.dataSource.getRepository(Account).createQueryBuilder('account'), page);
  }

  /** The caller's own account. */
  async own(caller: Caller): Promise<Account> {
    const principal = requireAccountPrincipal(caller.principal);
    return this.dataSource.getRepository(Account).findOneByOrFail({ id: principal.accountId });
  }

  async count(): Promise<number> {
    return this.dataSource.getRepository(Account).count();
  }
}

/** Checked here too: the CLI reaches this service without GraphQL's validation. */
function rateLimit(value: number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > MAX_RATE_LIMIT_PER_MINUTE) {
    throw new BadUserInputError('rateLimitPerMinute', `rateLimitPerMinute must be an integer from 1 to ${MAX_RATE_LIMIT_PER_MINUTE}`);
  }
  return value;
}

/** Checked here too, for the CLI. */
function rateLimitWindow(value: RateLimitWindow | null | undefined): RateLimitWindow | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Object.values(RateLimitWindow).includes(value)) {
    throw new BadUserInputError('rateLimitWindow', `rateLimitWindow must be one of ${Object.values(RateLimitWindow).join(', ')}`);
  }
  return value;
}
