import { AuditAction, AuditTargetType } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { forUpdate } from '../db/locking';
import { Transactor } from '../db/transactions';
import { ApiKeyKind } from '../shared/api-key-kind';
import { Caller } from '../shared/caller';
import { BadUserInputError, ForbiddenError } from '../shared/errors';
import { Permission } from '../shared/permission';
import { holds, requireAccountPrincipal } from '../shared/principal';
import { Account } from './account.entity';
import { AccountSettingsInput } from './account-settings.inputs';
import { LeakResponse } from './leak-response';

const LEAK_RESPONSES: readonly string[] = Object.values(LeakResponse);

/**
 * The account's own settings, changed by its developers: a dashboard user
 * with the Developer role, or an admin key holding keys:write. They decide
 * what happens to every key of the account, so a client key, which acts for
 * one client only, may not.
 */
export class AccountSettingsService {
  constructor(
    private readonly transactor: Transactor,
    private readonly audit: AuditService,
  ) {}

  update(caller: Caller, input: AccountSettingsInput): Promise<Account> {
    const principal = requireAccountPrincipal(caller.principal);
    if (principal.kind === 'api-key' && principal.keyKind === ApiKeyKind.CLIENT) {
      throw new ForbiddenError("A client key cannot change the account's settings: use an admin key or a developer's user token");
    }
    if (!holds(principal, Permission.KEYS_WRITE)) throw new ForbiddenError("Changing the account's settings needs keys:write");
    const leakResponse = input.leakResponse ?? undefined;
    // Checked here too: the CLI reaches this service without GraphQL's enum coercion.
    if (leakResponse !== undefined && !LEAK_RESPONSES.includes(leakResponse)) {
      throw new BadUserInputError('leakResponse', `leakResponse must be one of ${LEAK_RESPONSES.join(', ')}`);
    }
    return this.transactor.run(async (manager) => {
      const account = await forUpdate(manager, manager.getRepository(Account).createQueryBuilder('account'))
        .where('account.id = :id', { id: principal.accountId })
        .getOneOrFail();
      if (leakResponse === undefined || account.leakResponse === leakResponse) return account;
      const from = account.leakResponse;
      account.leakResponse = leakResponse;
      await manager.save(account);
      await this.audit.record(manager, caller, {
        accountId: account.id,
        action: AuditAction.ACCOUNT_UPDATED,
        targetType: AuditTargetType.ACCOUNT,
        targetId: account.id,
        targetName: account.name,
        details: { leakResponse: { from, to: leakResponse } },
      });
      return account;
    });
  }
}
