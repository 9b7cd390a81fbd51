import { Account } from '../accounts/account.entity';
import { ApiKey } from '../api-keys/api-key.entity';
import { ApiKeyKind } from '../shared/api-key-kind';
import { Client } from '../clients/client.entity';
import { Permission } from '../shared/permission';
import { frozenMetadata, KeyMetadata } from '../api-keys/key-metadata';
import { compileAllowlist, IpAllowlist } from '../api-keys/ip-allowlist';
import { NO_SCOPES, sharedScopes } from '../scopes/key-scopes';
import { keyUseRules, KeyUseRules } from '../rate-limits/key-use-rules';

/*
 * What the verification cache keeps of a key: only what a check and its
 * answers read, in as few bytes as V8 allows, for up to KEY_CACHE_MAX_ENTRIES
 * keys (100,000 by default). Never the hashes, the name or the last use, and
 * never a secret. Booleans and the record's state share one small integer;
 * times are epoch milliseconds; a permission list is one frozen array shared
 * by every key that holds the same list; accounts and clients are shared by
 * their keys (SharedRows).
 */

const PRIMARY = 1;
const ACTIVE = 2;
const CLIENT_KIND = 4;
/** The record is the value a reset replaced, not the key's current one. */
const PREVIOUS = 8;

export class CachedKey {
  private constructor(
    readonly id: number,
    private readonly bits: number,
    readonly prefix: string,
    readonly clientId: number | null,
    readonly permissions: Permission[],
    /** Epoch ms, or null: never expires. */
    readonly expiresAtMs: number | null,
    /** Epoch ms until which the previous value still authenticates, or null. */
    readonly previousKeyExpiresAtMs: number | null,
    readonly account: Account,
    readonly client: Client | null,
    /** What only some keys have (metadata, an allowlist, scopes, credits or named limits); null for a key with none. */
    private readonly extras: KeyExtras | null,
  ) {
    Object.freeze(this);
  }

  /** `state`: found by its current hash ('live') or by the one its last reset replaced ('previous'). */
  static of(state: 'live' | 'previous', key: ApiKey, account: Account, client: Client | null, permissions: Permission[]): CachedKey {
    const bits =
      (key.isPrimary ? PRIMARY : 0) |
      (key.active ? ACTIVE : 0) |
      (key.kind === ApiKeyKind.CLIENT ? CLIENT_KIND : 0) |
      (state === 'previous' ? PREVIOUS : 0);
    return new CachedKey(
      key.id,
      bits,
      key.prefix,
      key.clientId ?? null,
      permissions,
      key.expiresAt ? key.expiresAt.getTime() : null,
      key.previousKeyExpiresAt ? key.previousKeyExpiresAt.getTime() : null,
      account,
      client,
      extrasOf(key),
    );
  }

  /** The platform's own data, frozen to the leaves; null for a key without. */
  get metadata(): Readonly<KeyMetadata> | null {
    return this.extras?.metadata ?? null;
  }

  /** allowedIps, prepared once; null (nothing to check) for a key usable from anywhere. */
  get allowlist(): IpAllowlist | null {
    return this.extras?.allowlist ?? null;
  }

  /** The platform scopes, sorted: one frozen list shared by every key holding the same ones (NO_SCOPES for none). */
  get scopes(): readonly string[] {
    return this.extras?.scopes ?? NO_SCOPES;
  }

  /** Credits and named limits, frozen; null (the pool alone is charged) for a key with neither. */
  get uses(): KeyUseRules | null {
    return this.extras?.uses ?? null;
  }

  get state(): 'live' | 'previous' {
    return this.bits & PREVIOUS ? 'previous' : 'live';
  }

  get accountId(): number {
    return this.account.id;
  }

  get kind(): ApiKeyKind {
    return this.bits & CLIENT_KIND ? ApiKeyKind.CLIENT : ApiKeyKind.ADMIN;
  }

  get isPrimary(): boolean {
    return (this.bits & PRIMARY) !== 0;
  }

  get active(): boolean {
    return (this.bits & ACTIVE) !== 0;
  }

  /** A new Date on each read: the cached number is shared, a Date handed out is the reader's to keep. */
  get expiresAt(): Date | null {
    return this.expiresAtMs === null ? null : new Date(this.expiresAtMs);
  }

  get previousKeyExpiresAt(): Date | null {
    return this.previousKeyExpiresAtMs === null ? null : new Date(this.previousKeyExpiresAtMs);
  }
}

/**
 * The features most keys do not use, in one object that only keys using one
 * of them have: a plain key pays one empty slot for all four, not four.
 */
interface KeyExtras {
  readonly metadata: Readonly<KeyMetadata> | null;
  readonly allowlist: IpAllowlist | null;
  readonly scopes: readonly string[];
  readonly uses: KeyUseRules | null;
}

function extrasOf(key: ApiKey): KeyExtras | null {
  const metadata = frozenMetadata(key.metadata ?? null);
  const allowlist = compileAllowlist(key.allowedIps);
  const scopes = sharedScopes(key.scopes);
  const uses = keyUseRules(key);
  if (metadata === null && allowlist === null && scopes === NO_SCOPES && uses === null) return null;
  return Object.freeze({ metadata, allowlist, scopes, uses });
}

/** At most this many distinct permission lists are shared; more (never seen: 10 permissions) are kept per key. */
const MAX_SHARED_LISTS = 4096;
const sharedLists = new Map<string, Permission[]>();

/** One frozen array for every key that holds exactly this list, in this order. */
export function sharedPermissions(permissions: readonly Permission[]): Permission[] {
  const name = permissions.join(',');
  const shared = sharedLists.get(name);
  if (shared) return shared;
  // Typed as the entity's mutable list, which the rules read; frozen, since every key holding it shares it.
  const frozen = [...permissions];
  Object.freeze(frozen);
  if (sharedLists.size < MAX_SHARED_LISTS) sharedLists.set(name, frozen);
  return frozen;
}

/**
 * Rows (accounts, clients) shared by the cached keys that hold them, counted:
 * a row is forgotten with its last key, so the table never outgrows the cache.
 * A row read again while its keys are cached is shared only if it is the same
 * row (same columns): one that changed is kept by its own key (its older
 * keys are dropped by the change's invalidation).
 */
export class SharedRows<Row extends { id: number }> {
  private readonly rows = new Map<number, { row: Row; keys: number }>();

  /** The shared row equal to `row` (counted once more), or `row` itself, frozen. */
  hold(row: Row): Row {
    const shared = this.rows.get(row.id);
    if (shared && sameRow(shared.row, row)) {
      shared.keys++;
      return shared.row;
    }
    Object.freeze(row);
    if (!shared) this.rows.set(row.id, { row, keys: 1 });
    return row;
  }

  /** A key that held `row` left the cache. */
  release(row: Row): void {
    const shared = this.rows.get(row.id);
    if (shared?.row !== row) return;
    if (--shared.keys === 0) this.rows.delete(row.id);
  }

  get size(): number {
    return this.rows.size;
  }

  clear(): void {
    this.rows.clear();
  }
}

function sameRow(a: object, b: object): boolean {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const names = Object.keys(left);
  if (names.length !== Object.keys(right).length) return false;
  return names.every((name) => sameValue(left[name], right[name]));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}
