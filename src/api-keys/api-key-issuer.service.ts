import { EntityManager } from 'typeorm';
import { Account } from '../accounts/account.entity';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { Caller } from '../shared/caller';
import { AccountPrincipal, requireAccountPrincipal, requireOperator } from '../shared/principal';
import { KeyChangeNotifier } from '../shared/key-changes';
import { clientForNewRow } from '../shared/tenant-scope';
import { Client } from '../clients/client.entity';
import { BadUserInputError, DeveloperApiDisabledError, ForbiddenError } from '../shared/errors';
import { forUpdate } from '../db/locking';
import { Transactor } from '../db/transactions';
import { ALL_PERMISSIONS } from '../shared/permission';
import { ApiKeyKind } from '../shared/api-key-kind';
import { keyAuditEntry } from './api-key.audit';
import { ApiKey } from './api-key.entity';
import { isExpired } from './api-key-status';
import { assertRoomFor, KeyAllowance } from './api-key-limits';
import { Clock } from '../shared/clock';
import { EventRecorder } from '../shared/events';
import { keyEvent } from './api-key.events';
import { CreateApiKeyInput } from './api-key.inputs';
import { NO_CREDITS } from '../credits/key-credits';
import { creationDetails, NewKeySettings, settingsOfNewKey } from './new-key-settings';
import { withFreshPrefix } from './fresh-prefix';
import {
  assertMayChange,
  MAX_GRACE_PERIOD_SECONDS,
  PLAYGROUND_KEY_NAME,
  PLAYGROUND_PERMISSIONS,
  PLAYGROUND_TTL_MS,
  PRIMARY_KEY_NAME,
} from './api-key.rules';
import { lockKeyInScope, lockPrimaryKey } from './api-key.scope';
import { GeneratedKey, generateKey } from './key-material';

export interface IssuedKey {
  apiKey: ApiKey;
  /** The raw key. Returned by this one answer and never again. */
  secret: string;
}

/** Makes key material: creation (with the per-account and per-client limits) and reset. */
export class ApiKeyIssuer {
  constructor(
    private readonly transactor: Transactor,
    private readonly audit: AuditService,
    private readonly keyChanges: KeyChangeNotifier,
    private readonly events: EventRecorder,
    private readonly clock: Clock,
    /** Where new key material comes from: tests draw a clashing prefix on purpose. */
    private readonly generate: (kind: ApiKeyKind) => GeneratedKey = generateKey,
  ) {}

  create(caller: Caller, input: CreateApiKeyInput): Promise<IssuedKey> {
    return this.issue(caller, input, false);
  }

  /**
   * A 1-hour admin key for trying the API in the explorer and /docs, with
   * PLAYGROUND_PERMISSIONS. Listed and revocable like any key, but it draws on the
   * playground allowance (PLAYGROUND_KEY_LIMIT), not on KEY_LIMIT.
   */
  createPlayground(caller: Caller): Promise<IssuedKey> {
    const principal = requireAccountPrincipal(caller.principal);
    if (principal.clientId !== null) throw new ForbiddenError('Playground keys are admin keys: create them with an admin credential');
    const input = {
      name: PLAYGROUND_KEY_NAME,
      clientId: null,
      permissions: [...PLAYGROUND_PERMISSIONS],
      expiresAt: new Date(this.clock.now() + PLAYGROUND_TTL_MS),
    };
    return this.issue(caller, input, true);
  }

  private issue(caller: Caller, input: CreateApiKeyInput, isPlayground: boolean): Promise<IssuedKey> {
    const principal = requireAccountPrincipal(caller.principal);
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt && isExpired({ expiresAt }, this.clock.now())) {
      throw new BadUserInputError('expiresAt', 'expiresAt must be in the future');
    }
    return this.transactor.run(async (manager) => {
      await assertDeveloperApiEnabled(manager, principal.accountId);
      const clientId = await this.lockScope(manager, principal, input.clientId ?? null);
      const kind = clientId === null ? ApiKeyKind.ADMIN : ApiKeyKind.CLIENT;
      const settings = await settingsOfNewKey(manager, principal, input, kind, this.clock.now());
      const { accountId } = principal;
      const allowance: KeyAllowance = isPlayground
        ? { kind: 'playground', accountId }
        : clientId === null
          ? { kind: 'admin', accountId }
          : { kind: 'client', clientId };
      await assertRoomFor(manager, allowance, this.clock.now());
      const created = await this.insertKey(manager, {
        accountId,
        clientId,
        kind,
        isPrimary: false,
        isPlayground,
        expiresAt,
        ...settings,
      });
      await this.recordCreation(manager, caller, created.apiKey);
      return created;
    });
  }

  /** The account's primary admin key, made in the transaction that makes the account. */
  async createPrimary(manager: EntityManager, caller: Caller, account: Account): Promise<IssuedKey> {
    const created = await this.insertKey(manager, {
      accountId: account.id,
      clientId: null,
      kind: ApiKeyKind.ADMIN,
      name: PRIMARY_KEY_NAME,
      permissions: [...ALL_PERMISSIONS],
      isPrimary: true,
      isPlayground: false,
      expiresAt: null,
      metadata: null,
      allowedIps: [],
      scopes: [],
      ...NO_CREDITS,
      rateLimits: [],
    });
    await this.recordCreation(manager, caller, created.apiKey);
    return created;
  }

  /**
   * Same record, new value and prefix. The old value stops at once, or at the
   * end of the grace period, which never outlives the key's own expiry.
   */
  reset(caller: Caller, id: string, gracePeriodSeconds: number): Promise<IssuedKey> {
    const principal = requireAccountPrincipal(caller.principal);
    return this.rotate(caller, gracePeriodSeconds, async (manager) => {
      const key = await lockKeyInScope(manager, principal, id);
      assertMayChange(principal, key, 'reset');
      return key;
    });
  }

  /**
   * The operator's way back into an account whose primary key is lost (never
   * shown, or leaked): the same reset, audited as the operator's.
   */
  resetPrimary(caller: Caller, rawAccountId: string, gracePeriodSeconds: number): Promise<IssuedKey> {
    requireOperator(caller.principal);
    return this.rotate(caller, gracePeriodSeconds, (manager) => lockPrimaryKey(manager, rawAccountId));
  }

  private async rotate(
    caller: Caller,
    gracePeriodSeconds: number,
    lockKey: (manager: EntityManager) => Promise<ApiKey>,
  ): Promise<IssuedKey> {
    if (!Number.isInteger(gracePeriodSeconds) || gracePeriodSeconds < 0 || gracePeriodSeconds > MAX_GRACE_PERIOD_SECONDS) {
      throw new BadUserInputError(
        'gracePeriodSeconds',
        `gracePeriodSeconds must be an integer from 0 to ${MAX_GRACE_PERIOD_SECONDS} (7 days)`,
      );
    }
    // The value a reset before this one had retired leaves the row: its cached grace period must go too.
    let retiredHash: string | null = null;
    const created = await this.transactor.run(async (manager) => {
      const key = await lockKey(manager);
      retiredHash = key.previousKeyHash;
      const now = new Date(this.clock.now());
      let graceEndsAt = new Date(now.getTime() + gracePeriodSeconds * 1000);
      if (key.expiresAt && key.expiresAt < graceEndsAt) graceEndsAt = key.expiresAt;
      const previousPrefix = key.prefix;
      const previousKeyHash = key.keyHash;
      const fresh = await withFreshPrefix(async () => {
        const material = this.generate(key.kind);
        Object.assign(key, {
          previousKeyHash,
          previousPrefix,
          previousKeyExpiresAt: graceEndsAt,
          keyHash: material.hash,
          prefix: material.prefix,
        });
        await manager.save(key);
        return material;
      });
      await this.audit.record(
        manager,
        caller,
        keyAuditEntry(key, AuditAction.API_KEY_RESET, {
          previousPrefix,
          gracePeriodSeconds,
          previousValueValidUntil: graceEndsAt.toISOString(),
        }),
      );
      await this.events.record(
        manager,
        keyEvent('api_key.reset', key, { previousPrefix, previousValueValidUntil: graceEndsAt.toISOString() }),
      );
      return { apiKey: key, secret: fresh.secret };
    });
    this.keyChanges.keyChanged(created.apiKey.keyHash, created.apiKey.previousKeyHash, retiredHash);
    return created;
  }

  /**
   * Resolves the client a new key is for and locks the row that guards its
   * limit (the client, or the account for admin keys), so concurrent creations
   * count one after another and the limit holds exactly.
   */
  private async lockScope(manager: EntityManager, principal: AccountPrincipal, rawClientId: string | null) {
    const lockClient = (id: number, accountId: number) =>
      forUpdate(manager, manager.getRepository(Client).createQueryBuilder('client'))
        .where('client.id = :id AND client.accountId = :accountId', { id, accountId })
        .getOne();
    const clientId = await clientForNewRow(principal, rawClientId, lockClient);
    if (clientId === null) {
      await forUpdate(manager, manager.getRepository(Account).createQueryBuilder('account'))
        .where('account.id = :id', { id: principal.accountId })
        .getOne();
    } else if (principal.clientId !== null) {
      await lockClient(clientId, principal.accountId);
    }
    return clientId;
  }

  private async insertKey(
    manager: EntityManager,
    fields: Pick<ApiKey, 'accountId' | 'clientId' | 'kind' | 'isPrimary' | 'isPlayground' | 'expiresAt'> & NewKeySettings,
  ): Promise<IssuedKey> {
    return withFreshPrefix(async () => {
      const material = this.generate(fields.kind);
      const apiKey = manager.create(ApiKey, {
        ...fields,
        prefix: material.prefix,
        keyHash: material.hash,
        previousKeyHash: null,
        previousPrefix: null,
        previousKeyExpiresAt: null,
        active: true,
        lastUsedAt: null,
        lastUsedIp: null,
      });
      await manager.save(apiKey);
      return { apiKey, secret: material.secret };
    });
  }

  private async recordCreation(manager: EntityManager, caller: Caller, key: ApiKey): Promise<void> {
    await this.events.record(
      manager,
      keyEvent('api_key.created', key, { permissions: key.permissions, expiresAt: key.expiresAt?.toISOString() ?? null }),
    );
    await this.audit.record(manager, caller, keyAuditEntry(key, AuditAction.API_KEY_CREATED, creationDetails(key)));
  }
}

/**
 * While the operator has the account's Developer API off, no key can be
 * created in it, by anyone (its keys are refused at the door already; this
 * stops its dashboard users). The primary key, made with the account, and
 * resets of existing keys are not creation: a leaked key can always be rotated.
 */
async function assertDeveloperApiEnabled(manager: EntityManager, accountId: number): Promise<void> {
  const account = await manager
    .getRepository(Account)
    .findOne({ select: { id: true, developerApiEnabled: true }, where: { id: accountId } });
  if (!account?.developerApiEnabled) {
    throw new DeveloperApiDisabledError(
      "This account's Developer API is disabled, so no key can be created; the platform operator can turn it on",
    );
  }
}
