import { LRUCache } from 'lru-cache';
import { Clock, systemClock } from '../shared/clock';
import { Account } from '../accounts/account.entity';
import { ApiKey } from '../api-keys/api-key.entity';
import { Client } from '../clients/client.entity';
import { CachedKey, sharedPermissions, SharedRows } from './cached-key';

/**
 * What the database says about one key hash. Only the facts are kept, never a
 * verdict: expiry and grace periods depend on the clock, so they are judged
 * each time the record is used (a cached key that expires fails at once).
 * A found key (`state` 'live', or 'previous': the hash is the value a reset
 * replaced, and the key's grace period decides) is a CachedKey.
 */
export type KeyRecord =
  | CachedKey
  /**
   * A revoked key's value: its account decides whether a verifier confined to
   * one account may be told so; its id and client are what its usage counts go to.
   */
  | { readonly state: 'revoked'; readonly id: number; readonly accountId: number; readonly clientId: number | null }
  | { readonly state: 'unknown' };

/** What a load reads from the database, before the cache makes it compact. */
export type LoadedRecord =
  | { state: 'live' | 'previous'; key: ApiKey; account: Account; client: Client | null }
  | { state: 'revoked'; id: number; accountId: number; clientId: number | null }
  | { state: 'unknown' };

const UNKNOWN: KeyRecord = Object.freeze({ state: 'unknown' });

/**
 * The cache's key for a hash: the SHA-256's 32 bytes as a one-byte string
 * (keyDigestShape's `digest`), not its 64 hex digits.
 */
export function digestOfHash(hexHash: string): string {
  return Buffer.from(hexHash, 'hex').toString('latin1');
}

/** The stored (hex) form of a digest: what the database is asked for. */
export function hashOfDigest(digest: string): string {
  return Buffer.from(digest, 'latin1').toString('hex');
}

export interface VerificationCacheSettings {
  /** How long a found key (or revoked hash) is trusted without asking the database again. */
  ttlMs: number;
  /** How long an unknown hash is remembered: short, so a brand-new key is never refused for long. */
  negativeTtlMs: number;
  /** At most this many hashes; the least recently used go first. */
  maxEntries: number;
}

/** How long an unknown hash is remembered, at most: short, so a brand-new key is never refused for long. */
export const NEGATIVE_TTL_MS = 5_000;

/**
 * The in-process cache of key lookups by SHA-256 hash, in front of the
 * database on the authentication hot path. Entries are keyed by the hash's
 * digest (digestOfHash) and hold CachedKeys, whose accounts, clients and
 * permission lists are shared: about 200 bytes of heap per cached key.
 *
 * Invalidation is exact for changes made anywhere that tells us (this
 * instance's services, other instances through Redis): `drop` removes the
 * hashes, `dropAccount` every hash of the account. A lookup that was already
 * reading the database when a drop happened may carry the old row, so every
 * drop bumps an epoch and a lookup that started in an older epoch is answered
 * but not stored. Concurrent misses for one hash share one database read,
 * until the next drop.
 *
 * Records are frozen: they are shared by every request that hits them.
 */
export class VerificationCache {
  private readonly entries: LRUCache<string, KeyRecord>;
  private readonly pending = new Map<string, Promise<KeyRecord>>();
  private readonly accounts = new SharedRows<Account>();
  private readonly clients = new SharedRows<Client>();
  private epoch = 0;

  constructor(
    private readonly settings: VerificationCacheSettings,
    private readonly onLookup: (hit: boolean) => void = () => undefined,
    clock: Clock = systemClock,
  ) {
    this.entries = new LRUCache<string, KeyRecord>({
      max: settings.maxEntries,
      ttl: settings.ttlMs,
      allowStale: false,
      // Entries age by the server's clock, like the expiry and grace periods they hold.
      perf: clock,
      // lru-cache's default (1 ms) remembers the clock by arming a timer each millisecond it is read:
      // a timer for nearly every cached request. Reading the clock on each get is cheaper.
      ttlResolution: 0,
      // Evicted, expired, dropped or replaced: the shared rows it held count one key fewer.
      dispose: (record) => this.release(record),
    });
  }

  /**
   * The cached record of a digest (keyDigestShape's), if any: synchronous, so
   * a cached key costs its request no promise and no trip through the
   * microtask queue.
   */
  get(digest: string): KeyRecord | undefined {
    const cached = this.entries.get(digest);
    if (cached) this.onLookup(true);
    return cached;
  }

  /**
   * Reads the record through `load` (given the hash in its stored hex form)
   * and keeps it; concurrent loads of one digest share one read.
   */
  load(digest: string, load: (hash: string) => Promise<LoadedRecord>): Promise<KeyRecord> {
    this.onLookup(false);
    const inFlight = this.pending.get(digest);
    if (inFlight) return inFlight;

    const epoch = this.epoch;
    const loading = load(hashOfDigest(digest))
      .then((loaded) => {
        const ttl = this.ttlOf(loaded);
        // A ttl of 0 would mean "forever" to lru-cache; here it means "do not cache".
        const keep = epoch === this.epoch && ttl > 0;
        const record = keep ? this.compact(loaded, this.accounts, this.clients) : this.compact(loaded, null, null);
        if (keep) this.entries.set(digest, record, { ttl });
        return record;
      })
      .finally(() => {
        if (this.pending.get(digest) === loading) this.pending.delete(digest);
      });
    this.pending.set(digest, loading);
    return loading;
  }

  /** Forget these hashes, in their stored hex form (a key's current and previous values). */
  drop(hashes: Iterable<string>): void {
    this.invalidate();
    for (const hash of hashes) this.entries.delete(digestOfHash(hash));
  }

  /** Forget every key of an account: its flag, plan limit or name changed. */
  dropAccount(accountId: number): void {
    this.dropWhere((record) => record.accountId === accountId);
  }

  private dropWhere(doomed: (record: CachedKey) => boolean): void {
    this.invalidate();
    const digests: string[] = [];
    this.entries.forEach((record, digest) => {
      if (record instanceof CachedKey && doomed(record)) digests.push(digest);
    });
    for (const digest of digests) this.entries.delete(digest);
  }

  /** Forget every key of a client: its name changed, and verifications report it. */
  dropClient(clientId: number): void {
    this.dropWhere((record) => record.clientId === clientId);
  }

  /** Forget everything: changes may have been missed (the invalidation channel was down). */
  clear(): void {
    this.invalidate();
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Accounts and clients held for cached keys: never more than the keys. */
  get sharedRows(): { accounts: number; clients: number } {
    return { accounts: this.accounts.size, clients: this.clients.size };
  }

  private invalidate(): void {
    this.epoch++;
    // Reads already under way may return the old row: later lookups must not join them.
    this.pending.clear();
  }

  private ttlOf(record: LoadedRecord): number {
    return record.state === 'unknown' ? Math.min(this.settings.negativeTtlMs, this.settings.ttlMs) : this.settings.ttlMs;
  }

  /** `accounts`, `clients`: where a record the cache keeps shares its rows; null for one only answered. */
  private compact(loaded: LoadedRecord, accounts: SharedRows<Account> | null, clients: SharedRows<Client> | null): KeyRecord {
    switch (loaded.state) {
      case 'unknown':
        return UNKNOWN;
      case 'revoked':
        return Object.freeze({ state: 'revoked', id: loaded.id, accountId: loaded.accountId, clientId: loaded.clientId });
      default: {
        const { key, account, client } = loaded;
        const permissions = sharedPermissions(key.permissions);
        const sharedAccount = accounts ? accounts.hold(account) : frozen(account);
        const sharedClient = client && (clients ? clients.hold(client) : frozen(client));
        return CachedKey.of(loaded.state, key, sharedAccount, sharedClient, permissions);
      }
    }
  }

  private release(record: KeyRecord): void {
    if (!(record instanceof CachedKey)) return;
    this.accounts.release(record.account);
    if (record.client) this.clients.release(record.client);
  }
}

function frozen<T extends object>(row: T): T {
  Object.freeze(row);
  return row;
}
