import { EntityManager } from 'typeorm';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { Caller } from '../shared/caller';
import { BadUserInputError } from '../shared/errors';
import { KeyChangeNotifier } from '../shared/key-changes';
import { AccountPrincipal, requireAccountPrincipal } from '../shared/principal';
import { normalizePermissions, Permission } from '../shared/permission';
import { Transactor } from '../db/transactions';
import { Clock } from '../shared/clock';
import { EventRecorder } from '../shared/events';
import { keyEvent } from './api-key.events';
import { keyAuditEntry } from './api-key.audit';
import { ApiKey } from './api-key.entity';
import { UpdateApiKeyInput } from './api-key.inputs';
import { assertMayChange, assertNotPrimary, grantablePermissions, normalizeKeyName } from './api-key.rules';
import { lockKeyInScope } from './api-key.scope';
import { KeyMetadata, normalizeMetadata } from './key-metadata';
import { normalizeAllowedIps } from './ip-allowlist';
import { scopesField } from '../scopes/scope-grants';
import { refillField, remainingField } from '../credits/key-credits';
import { rateLimitsField } from '../rate-limits/key-rate-limits';

/** What a field's handler may read while the key is locked. */
export interface KeyUpdateContext {
  manager: EntityManager;
  principal: AccountPrincipal;
  /** The key as it was before this update, row-locked. */
  key: ApiKey;
  /** Epoch ms by the server's clock: what a field stamps (lastRefillAt). */
  nowMs: number;
}

/**
 * One field of UpdateApiKeyInput. `next` checks the input's value (null:
 * clear) and returns what the key will hold, throwing BadUserInputError
 * (naming the field) or ForbiddenError to refuse; `current` is what it holds
 * now. Only a field whose two values differ (as JSON) is applied and audited,
 * as `{ from, to }` through `audited` (default: the values themselves; never
 * a secret or a hash).
 */
export interface KeyFieldHandler<In, Value> {
  next(value: In, context: KeyUpdateContext): Value | Promise<Value>;
  current(key: ApiKey): Value;
  apply(key: ApiKey, value: Value, context: KeyUpdateContext): void | Promise<void>;
  audited?(value: Value): unknown;
}

/**
 * Typed helper for one table entry: the input's type (null included,
 * undefined not) reaches `next`, and the entry's own Value type is checked
 * here, then forgotten: the table holds entries of different Value types.
 */
function field<In, Value>(handler: KeyFieldHandler<In, Value>): KeyFieldHandler<In, unknown> {
  return handler as unknown as KeyFieldHandler<In, unknown>;
}

type FieldHandlers = {
  [F in keyof Required<UpdateApiKeyInput>]: KeyFieldHandler<Exclude<UpdateApiKeyInput[F], undefined>, unknown>;
};

/**
 * Every settable field of a key, one entry each, in the order they are
 * checked: a field added to UpdateApiKeyInput does not compile until it has
 * its entry here. The rules themselves live with their domain (api-key.rules,
 * key-metadata, …); an entry only calls them.
 */
const FIELDS: FieldHandlers = {
  name: field({
    next: (name: string | null, { key }) => {
      if (name === null) throw new BadUserInputError('name', 'name cannot be cleared: a key always has one');
      return normalizeKeyName(name, key.kind);
    },
    current: (key) => key.name,
    apply: (key, name: string) => {
      key.name = name;
    },
  }),
  permissions: field({
    next: (permissions: Permission[] | null, { key, principal }) => {
      assertNotPrimary(key, 're-permissioned: it always holds every permission');
      return grantablePermissions(principal, permissions ?? [], key.kind);
    },
    current: (key) => normalizePermissions(key.permissions),
    apply: (key, permissions: Permission[]) => {
      key.permissions = permissions;
    },
  }),
  metadata: field({
    next: (metadata: KeyMetadata | null) => normalizeMetadata(metadata),
    current: (key) => key.metadata ?? null,
    apply: (key, metadata: KeyMetadata | null) => {
      key.metadata = metadata;
    },
  }),
  allowedIps: field({
    next: (allowedIps: string[] | null) => normalizeAllowedIps(allowedIps),
    current: (key) => key.allowedIps,
    apply: (key, allowedIps: string[]) => {
      key.allowedIps = allowedIps;
    },
  }),
  scopes: scopesField,
  remaining: remainingField,
  refill: refillField,
  rateLimits: rateLimitsField,
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * updateApiKey: one mutation for a key's settings. In one transaction that
 * locks the key: the caller may change it (same rule as every other change),
 * every given field is checked before any is applied, the row is saved, and
 * one API_KEY_UPDATED audit event says what changed. Once committed, every
 * instance drops the key from its cache, so the next verification sees it.
 */
export class ApiKeyUpdater {
  constructor(
    private readonly transactor: Transactor,
    private readonly audit: AuditService,
    private readonly keyChanges: KeyChangeNotifier,
    private readonly events: EventRecorder,
    private readonly clock: Clock,
  ) {}

  async update(caller: Caller, id: string, input: UpdateApiKeyInput): Promise<ApiKey> {
    const principal = requireAccountPrincipal(caller.principal);
    let changed = false;
    const key = await this.transactor.run(async (manager) => {
      const key = await lockKeyInScope(manager, principal, id);
      assertMayChange(principal, key, 'update');
      const context: KeyUpdateContext = { manager, principal, key, nowMs: this.clock.now() };
      const changes: Array<{ name: string; handler: KeyFieldHandler<unknown, unknown>; from: unknown; to: unknown }> = [];
      for (const [name, handler] of Object.entries(FIELDS) as Array<[keyof UpdateApiKeyInput, KeyFieldHandler<unknown, unknown>]>) {
        const value = input[name];
        if (value === undefined) continue;
        const to = await handler.next(value, context);
        const from = handler.current(key);
        if (!same(from, to)) changes.push({ name, handler, from, to });
      }
      if (changes.length === 0) return key;
      const details: Record<string, { from: unknown; to: unknown }> = {};
      for (const { name, handler, from, to } of changes) {
        await handler.apply(key, to, context);
        const shown = handler.audited ?? ((value: unknown) => value);
        details[name] = { from: shown(from), to: shown(to) };
      }
      await manager.save(key);
      await this.audit.record(manager, caller, keyAuditEntry(key, AuditAction.API_KEY_UPDATED, details));
      await this.events.record(manager, keyEvent('api_key.updated', key, { changes: details }));
      changed = true;
      return key;
    });
    // After the commit: a verification in between must not cache the old row again.
    if (changed) this.keyChanges.keyChanged(key.keyHash, key.previousKeyHash);
    return key;
  }
}
