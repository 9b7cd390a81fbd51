import { DataSource, EntityManager } from 'typeorm';
import { Caller } from '../shared/caller';
import { BadUserInputError } from '../shared/errors';
import { ApiKeyKind } from '../shared/api-key-kind';
import { SCOPE_NAME } from '../shared/platform-names';
import { requireOperator } from '../shared/principal';
import { containsPattern, hasControlCharacters, hasFormatCharacters, LIKE_ESCAPE_SQL } from '../shared/text';
import { forUpdate } from '../db/locking';
import { Transactor } from '../db/transactions';
import { isUniqueViolation } from '../db/unique-violation';
import { SCOPES_COLUMN } from './key-scopes';
import { PlatformScope, SCOPE_DESCRIPTION_MAX_LENGTH } from './platform-scope.entity';
import { DefineScopeInput } from './scope.inputs';

const NAME_INDEX = { name: 'PRIMARY', sqliteColumn: 'platform_scopes.name' };

/**
 * The platform's scope catalogue. Only the operator defines scopes, for every
 * account at once; anyone may read the catalogue. No audit event: audit events
 * belong to one account, and a definition changes no account's keys.
 */
export class ScopeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
  ) {}

  /** Every defined scope, by name. */
  list(): Promise<PlatformScope[]> {
    return this.dataSource.getRepository(PlatformScope).find({ order: { name: 'ASC' } });
  }

  /**
   * Declares a scope, or redefines one: an existing name gets the new
   * description and clientAssignable, and the keys that hold it keep it. So
   * that a client key never holds a scope that is not clientAssignable, turning
   * clientAssignable off is refused while a client key holds the scope.
   */
  async define(caller: Caller, input: DefineScopeInput): Promise<PlatformScope> {
    requireOperator(caller.principal);
    const name = scopeName(input.name);
    const description = scopeDescription(input.description);
    const clientAssignable = input.clientAssignable === true;
    try {
      return await this.save(name, description, clientAssignable);
    } catch (error) {
      // Defined at the same moment by another call: this one is now a redefinition.
      if (!isUniqueViolation(error, NAME_INDEX)) throw error;
      return this.save(name, description, clientAssignable);
    }
  }

  private save(name: string, description: string, clientAssignable: boolean): Promise<PlatformScope> {
    return this.transactor.run(async (manager) => {
      const scopes = manager.getRepository(PlatformScope);
      const existing = await forUpdate(manager, scopes.createQueryBuilder('scope')).where('scope.name = :name', { name }).getOne();
      if (!existing) return scopes.save(scopes.create({ name, description, clientAssignable }));
      if (existing.clientAssignable && !clientAssignable) await assertNoClientKeyHolds(manager, name);
      existing.description = description;
      existing.clientAssignable = clientAssignable;
      return scopes.save(existing);
    });
  }
}

function scopeName(raw: unknown): string {
  if (typeof raw !== 'string' || !SCOPE_NAME.test(raw)) {
    throw new BadUserInputError(
      'name',
      `name must be resource:action in lower case letters, digits, _ . and - (at most 64 each; the action may be *), e.g. invoices:read; got ${JSON.stringify(raw)}`,
    );
  }
  return raw;
}

function scopeDescription(raw: unknown): string {
  const text = typeof raw === 'string' ? raw.trim().normalize('NFC') : '';
  const problem =
    typeof raw !== 'string'
      ? 'must be a string'
      : text.length === 0
        ? 'must not be empty'
        : [...text].length > SCOPE_DESCRIPTION_MAX_LENGTH
          ? `must be at most ${SCOPE_DESCRIPTION_MAX_LENGTH} characters`
          : hasControlCharacters(text) || hasFormatCharacters(text)
            ? 'must not contain control or invisible formatting characters'
            : null;
  if (problem) throw new BadUserInputError('description', `description ${problem}`);
  return text;
}

/**
 * Client keys of any account that hold `name`. The column is a comma-joined
 * list: LIKE finds the candidates, the parsed lists decide. The grants that
 * race with this read lock the scope's row (see grantableScopes).
 */
async function assertNoClientKeyHolds(manager: EntityManager, name: string): Promise<void> {
  const candidates: Array<{ prefix: string; scopes: string | null }> = await manager
    .createQueryBuilder()
    .select(['k.prefix AS prefix', 'k.scopes AS scopes'])
    .from('api_keys', 'k')
    .where('k.kind = :kind', { kind: ApiKeyKind.CLIENT })
    .andWhere(`k.scopes LIKE :pattern ${LIKE_ESCAPE_SQL}`, { pattern: containsPattern(name) })
    .getRawMany();
  const holders = candidates.filter((row) => (SCOPES_COLUMN.from(row.scopes) as string[]).includes(name)).map((row) => row.prefix);
  if (holders.length === 0) return;
  const shown = holders.slice(0, 5).join(', ') + (holders.length > 5 ? ', …' : '');
  throw new BadUserInputError(
    'clientAssignable',
    `${name} cannot stop being clientAssignable while ${holders.length} client key(s) hold it (${shown}): remove it from them first`,
  );
}
