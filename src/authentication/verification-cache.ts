import { LRUCache } from 'lru-cache';
import { Clock, systemClock } from '../shared/clock';
import { Account } from '../accounts/account.entity';
import { ApiKey } from '../api-keys/api-key.entity';
import { Client } from '../clients/client.entity';

/**
 * What the database says about one key hash. Only the facts are kept, never a
 * verdict: expiry and grace periods depend on the clock, so they are judged
 * each time the record is used (a cached key that expires fails at once).
 */
export type KeyRecord =
  | { state: 'live'; key: ApiKey; account: Account; client: Client | null }
  /** The hash is the value a reset replaced; `key` is the row, whose grace period decides. */
  | { state: 'previous'; key: ApiKey; account: Account; client: Client | null }
  /** A revoked key's value: its account decides whether a verifier confined to one account may be told so. */
  | { state: 'revoked'; accountId: number }
  | { state: 'unknown' };

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
 * database on the authentication hot path.
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
    });
  }

  /**
   * The cached record, if any: synchronous, so a cached key costs its
   * request no promise and no trip through the microtask queue.
   */
  get(hash: string): KeyRecord | undefined {
    const cached = this.entries.get(hash);
    if (cached) this.onLookup(true);
    return cached;
  }

  /** Reads the record through `load` and keeps it; concurrent loads of one hash share one read. */
  load(hash: string, load: (hash: string) => Promise<KeyRecord>): Promise<KeyRecord> {
    this.onLookup(false);
    const inFlight = this.pending.get(hash);
    if (inFlight) return inFlight;

    const epoch = this.epoch;
    const loading = load(hash)
      .then((record) => {
        const frozen = freeze(record);
        const ttl = this.ttlOf(frozen);
        // A ttl of 0 would mean "forever" to lru-cache; here it means "do not cache".
        if (epoch === this.epoch && ttl > 0) this.entries.set(hash, frozen, { ttl });
        return frozen;
      })
      .finally(() => {
        if (this.pending.get(hash) === loading) this.pending.delete(hash);
      });
    this.pending.set(hash, loading);
    return loading;
  }

  /** Forget these hashes (a key's current and previous values). */
  drop(hashes: Iterable<string>): void {
    this.invalidate();
    for (const hash of hashes) this.entries.delete(hash);
  }

  /** Forget every key of an account: its flag, plan limit or name changed. */
  dropAccount(accountId: number): void {
    this.dropWhere((record) => record.account.id === accountId);
  }

  private dropWhere(doomed: (record: Extract<KeyRecord, { key: ApiKey }>) => boolean): void {
    this.invalidate();
    const hashes: string[] = [];
    this.entries.forEach((record, hash) => {
      if ((record.state === 'live' || record.state === 'previous') && doomed(record)) hashes.push(hash);
    });
    for (const hash of hashes) this.entries.delete(hash);
  }

  /** Forget every key of a client: its name changed, and verifications report it. */
  dropClient(clientId: number): void {
    this.dropWhere((record) => record.key.clientId === clientId);
  }

  /** Forget everything: changes may have been missed (the invalidation channel was down). */
  clear(): void {
    this.invalidate();
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private invalidate(): void {
    this.epoch++;
    // Reads already under way may return the old row: later lookups must not join them.
    this.pending.clear();
  }

  private ttlOf(record: KeyRecord): number {
    return record.state === 'unknown' ? Math.min(this.settings.negativeTtlMs, this.settings.ttlMs) : this.settings.ttlMs;
  }
}

function freeze(record: KeyRecord): KeyRecord {
  if (record.state === 'live' || record.state === 'previous') {
    Object.freeze(record.key.permissions);
    Object.freeze(record.key);
    Object.freeze(record.account);
    if (record.client) Object.freeze(record.client);
  }
  return Object.freeze(record);
}
