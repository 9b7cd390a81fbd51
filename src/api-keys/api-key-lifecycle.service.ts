import { EntityManager } from 'typeorm';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { Caller } from '../shared/caller';
import { actorLabel, requireAccountPrincipal } from '../shared/principal';
import { KeyChangeNotifier } from '../shared/key-changes';
import { normalizeOptionalText } from '../shared/validators';
import { Transactor } from '../db/transactions';
import { EventRecorder, EventType } from '../shared/events';
import { keyEvent } from './api-key.events';
import { normalizePermissions, Permission } from '../shared/permission';
import { keyAuditEntry } from './api-key.audit';
import { ApiKey } from './api-key.entity';
import { assertMayChange, assertNotPrimary, grantablePermissions, KeyChangeVerb, normalizeKeyName } from './api-key.rules';
import { lockKeyInScope } from './api-key.scope';
import { RevokedKey } from './revoked-key.entity';

type KeyChange = (manager: EntityManager, key: ApiKey) => Promise<Record<string, unknown> | null>;

/** The webhook event of each change made through `change`: renames and re-permissions are updates, as updateApiKey's are. */
const EVENT_OF: Record<string, EventType> = {
  [AuditAction.API_KEY_RENAMED]: 'api_key.updated',
  [AuditAction.API_KEY_PERMISSIONS_UPDATED]: 'api_key.updated',
  [AuditAction.API_KEY_DEACTIVATED]: 'api_key.deactivated',
  [AuditAction.API_KEY_ACTIVATED]: 'api_key.activated',
};

/** api_key.updated says what changed as updateApiKey's does ({ field: { from, to } }); the others need nothing more. */
function eventChanges(action: AuditAction, details: Record<string, unknown>): Record<string, unknown> {
  if (action === AuditAction.API_KEY_RENAMED) return { changes: { name: details } };
  if (action === AuditAction.API_KEY_PERMISSIONS_UPDATED) return { changes: { permissions: details } };
  return {};
}

/**
 * keyward acting on a key by itself (a leak report): no principal whose reach
 * is checked, a request it answers (`caller`, for the address) and the part
 * of keyward the audit log names as the actor.
 */
export interface SystemActor {
  caller: Caller;
  actor: string;
}

/** What a change keyward made by itself did: the primary admin key is never switched off or revoked, by anyone. */
export type SystemChange = 'changed' | 'unchanged' | 'primary';

/**
 * Every change to a live key other than issuing material: each runs in one
 * transaction that locks the key, applies the rule, and writes the audit event.
 */
export class ApiKeyLifecycle {
  constructor(
    private readonly transactor: Transactor,
    private readonly audit: AuditService,
    private readonly keyChanges: KeyChangeNotifier,
    private readonly events: EventRecorder,
  ) {}

  rename(caller: Caller, id: string, name: string): Promise<ApiKey> {
    return this.change(caller, id, AuditAction.API_KEY_RENAMED, 'rename', async (manager, key) => {
      const to = normalizeKeyName(name, key.kind);
      if (to === key.name) return null;
      const from = key.name;
      key.name = to;
      await manager.save(key);
      return { from, to };
    });
  }

  updatePermissions(caller: Caller, id: string, permissions: Permission[]): Promise<ApiKey> {
    const principal = requireAccountPrincipal(caller.principal);
    return this.change(caller, id, AuditAction.API_KEY_PERMISSIONS_UPDATED, 're-permission', async (manager, key) => {
      assertNotPrimary(key, 're-permissioned: it always holds every permission');
      const to = grantablePermissions(principal, permissions, key.kind);
      const from = normalizePermissions(key.permissions);
      if (from.join() === to.join()) return null;
      key.permissions = to;
      await manager.save(key);
      return { from, to };
    });
  }

  deactivate(caller: Caller, id: string): Promise<ApiKey> {
    return this.setActive(caller, id, false);
  }

  activate(caller: Caller, id: string): Promise<ApiKey> {
    return this.setActive(caller, id, true);
  }

  /** Permanent: the key leaves the live table, and what remains is kept for audit. */
  async revoke(caller: Caller, id: string, rawReason: string | null): Promise<RevokedKey> {
    const principal = requireAccountPrincipal(caller.principal);
    const reason = normalizeOptionalText(rawReason, 'reason', 500);
    const revoked = await this.transactor.run(async (manager) => {
      const key = await lockKeyInScope(manager, principal, id);
      assertMayChange(principal, key, 'revoke');
      assertNotPrimary(key, 'revoked');
      return this.retire(manager, { caller, actor: actorLabel(principal) }, key, reason);
    });
    this.keyChanges.keyChanged(revoked.keyHash, revoked.previousKeyHash);
    return revoked;
  }

  /**
   * deactivate, by keyward itself, of a key `manager`'s transaction holds
   * locked: the same change and audit event, with no caller's reach to check.
   * The transaction's owner drops the key from the caches once it commits.
   */
  async deactivateLocked(manager: EntityManager, by: SystemActor, key: ApiKey): Promise<SystemChange> {
    if (key.isPrimary) return 'primary';
    if (!key.active) return 'unchanged';
    key.active = false;
    await manager.save(key);
    await this.audit.record(manager, by.caller, keyAuditEntry(key, AuditAction.API_KEY_DEACTIVATED), by.actor);
    await this.events.record(manager, keyEvent('api_key.deactivated', key));
    return 'changed';
  }

  /** revoke, by keyward itself, of a key `manager`'s transaction holds locked; as deactivateLocked. */
  async revokeLocked(manager: EntityManager, by: SystemActor, key: ApiKey, reason: string): Promise<SystemChange> {
    if (key.isPrimary) return 'primary';
    await this.retire(manager, by, key, reason.slice(0, 500));
    return 'changed';
  }

  /** Gone with no history but its audit events. */
  async delete(caller: Caller, id: string): Promise<string> {
    const principal = requireAccountPrincipal(caller.principal);
    const deleted = await this.transactor.run(async (manager) => {
      const key = await lockKeyInScope(manager, principal, id);
      assertMayChange(principal, key, 'delete');
      assertNotPrimary(key, 'deleted');
      await manager.delete(ApiKey, { id: key.id });
      await this.audit.record(manager, caller, keyAuditEntry(key, AuditAction.API_KEY_DELETED));
      await this.events.record(manager, keyEvent('api_key.deleted', key));
      return key;
    });
    this.keyChanges.keyChanged(deleted.keyHash, deleted.previousKeyHash);
    return String(deleted.id);
  }

  /** The key leaves the live table; what remains is kept for audit, and the change is audited as `by.actor`. */
  private async retire(manager: EntityManager, by: SystemActor, key: ApiKey, reason: string | null): Promise<RevokedKey> {
    const revoked = manager.create(RevokedKey, {
      id: key.id,
      accountId: key.accountId,
      clientId: key.clientId,
      kind: key.kind,
      name: key.name,
      prefix: key.prefix,
      keyHash: key.keyHash,
      previousKeyHash: key.previousKeyHash,
      permissions: key.permissions,
      scopes: key.scopes,
      createdAt: key.createdAt,
      lastUsedAt: key.lastUsedAt,
      revokedAt: new Date(),
      revokedBy: by.actor,
      reason,
    });
    await manager.save(revoked);
    await manager.delete(ApiKey, { id: key.id });
    await this.audit.record(manager, by.caller, keyAuditEntry(key, AuditAction.API_KEY_REVOKED, { reason }), by.actor);
    await this.events.record(manager, keyEvent('api_key.revoked', key, { reason }));
    return revoked;
  }

  private setActive(caller: Caller, id: string, active: boolean): Promise<ApiKey> {
    const action = active ? AuditAction.API_KEY_ACTIVATED : AuditAction.API_KEY_DEACTIVATED;
    return this.change(caller, id, action, active ? 'activate' : 'deactivate', async (manager, key) => {
      if (!active) assertNotPrimary(key, 'deactivated');
      if (key.active === active) return null;
      key.active = active;
      await manager.save(key);
      return {};
    });
  }

  /**
   * Lock, check the caller may change this key, apply, audit, and once
   * committed drop the key from the verification caches. A change that
   * returns null changed nothing and is not audited.
   */
  private async change(caller: Caller, id: string, action: AuditAction, verb: KeyChangeVerb, apply: KeyChange): Promise<ApiKey> {
    const principal = requireAccountPrincipal(caller.principal);
    const key = await this.transactor.run(async (manager) => {
      const key = await lockKeyInScope(manager, principal, id);
      assertMayChange(principal, key, verb);
      const details = await apply(manager, key);
      if (details) {
        await this.audit.record(manager, caller, keyAuditEntry(key, action, details));
        await this.events.record(manager, keyEvent(EVENT_OF[action], key, eventChanges(action, details)));
      }
      return key;
    });
    this.keyChanges.keyChanged(key.keyHash, key.previousKeyHash);
    return key;
  }
}
