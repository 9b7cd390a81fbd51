import { DataSource } from 'typeorm';
import { Account } from '../accounts/account.entity';
import { ApiKey } from '../api-keys/api-key.entity';
import { isExpired } from '../api-keys/api-key-status';
import { Clock } from '../shared/clock';
import { checksumHolds, keyDigestShape } from '../api-keys/key-material';
import { RevokedKey } from '../api-keys/revoked-key.entity';
import { Client } from '../clients/client.entity';
import { CachedKey } from './cached-key';
import { KeyRecord, LoadedRecord, VerificationCache } from './verification-cache';
import { Metrics } from '../observability/metrics';
import { UsageKey, UsageOutcome } from '../usage/usage-outcome';

/** Why a presented key does or does not work. */
export type KeyCheckCode = 'VALID' | 'MALFORMED' | 'NOT_FOUND' | 'RESET' | 'REVOKED' | 'EXPIRED' | 'INACTIVE';

export interface KeyCheck {
  code: KeyCheckCode;
  /** The prefix the presented value carries, when it is shaped like a key. */
  prefix: string | null;
  /** What the cache keeps of the live key (for VALID, EXPIRED, INACTIVE, RESET). Shared and frozen. */
  key: CachedKey | null;
  /** The key's account (with the key), for the Developer API flag and the plan's rate limit. */
  account: Account | null;
  /** A client key's client (with the key), for verifyApiKey's answer. Frozen like the key. */
  client: Client | null;
  /** The account the presented key belongs, or belonged, to: the live key's, or a revoked key's; null when unknown. */
  accountId: number | null;
  /** For the 401: names the presented prefix; the holder of the key learns nothing new. */
  message: string;
  /** Set when the presented value is the one the key's last reset replaced, still in its grace period. */
  previousValue?: true;
  /** For REVOKED: the revoked key's record (its id, account and client), for its usage counts. */
  revokedKey?: UsageKey;
}

/** The key a check's use is counted against: the live key (whatever the verdict) or a revoked one; null when there is none. */
export function usageKeyOf(check: KeyCheck): UsageKey | null {
  return check.key ?? check.revokedKey ?? null;
}

/**
 * How a refused check of an existing key is counted; a value retired by a
 * reset counts as revoked, as verification answers it. MALFORMED and
 * NOT_FOUND name no key to count against.
 */
export const REFUSED_USAGE: Readonly<Partial<Record<KeyCheckCode, UsageOutcome>>> = Object.freeze({
  RESET: UsageOutcome.REVOKED,
  REVOKED: UsageOutcome.REVOKED,
  EXPIRED: UsageOutcome.EXPIRED,
  INACTIVE: UsageOutcome.INACTIVE,
});

/**
 * Checks one raw key: format and checksum (no I/O), then what the database
 * knows about its hash — the live key, a previous value a reset replaced, a
 * revoked key, or nothing — through the verification cache, then the verdict
 * at this moment (expiry, grace period, active). Shared by authentication and
 * by verifyApiKey.
 */
export class KeyVerifier {
  /**
   * `metrics`: times every check (keyward_key_verification_duration_seconds); the cache reports its hits there too.
   * A lookup's statements are bounded like every other (boundStatementTime, DATABASE_TIMEOUT_SECONDS).
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: VerificationCache,
    private readonly clock: Clock,
    private readonly metrics?: Metrics,
  ) {}

  /** Synchronous when the key's hash is cached: the hot path of every request with a key. */
  check(raw: string): KeyCheck | Promise<KeyCheck> {
    const started = performance.now();
    const shape = keyDigestShape(raw);
    if (!shape) return this.timed(started, failed('MALFORMED', null, 'The credential is not a valid API key'));
    const { prefix, digest } = shape;
    const cached = this.cache.get(digest);
    if (cached) return this.timed(started, verdict(cached, prefix, this.clock.now()));
    // Only values whose checksum held were ever cached, so a hit needed no check; a miss does, before the database.
    if (!checksumHolds(raw)) {
      return this.timed(started, failed('MALFORMED', prefix, `API key ${prefix} fails its checksum: it was not copied whole`));
    }
    return this.cache.load(digest, this.loadRecord).then((loaded) => this.timed(started, verdict(loaded, prefix, this.clock.now())));
  }

  private timed(started: number, result: KeyCheck): KeyCheck {
    this.metrics?.keyVerified(result.code, (performance.now() - started) / 1000);
    return result;
  }

  private readonly loadRecord = (hash: string): Promise<LoadedRecord> => this.load(hash);

  /** At most three indexed lookups, most likely first; the cache keeps the answer, found or not. */
  private async load(hash: string): Promise<LoadedRecord> {
    const live = await this.keyWithAccount('keyHash', hash);
    if (live) return { state: 'live', ...live };
    const previous = await this.keyWithAccount('previousKeyHash', hash);
    if (previous) return { state: 'previous', ...previous };
    const revoked = await this.dataSource.getRepository(RevokedKey).findOne({
      select: { id: true, accountId: true, clientId: true },
      where: [{ keyHash: hash }, { previousKeyHash: hash }],
    });
    return revoked ? { state: 'revoked', id: revoked.id, accountId: revoked.accountId, clientId: revoked.clientId } : { state: 'unknown' };
  }

  /** One indexed lookup that brings the account (and a client key's client) along. */
  private async keyWithAccount(column: 'keyHash' | 'previousKeyHash', hash: string) {
    const row = await this.dataSource
      .getRepository(ApiKey)
      .createQueryBuilder('key')
      .innerJoinAndMapOne('key.account', Account, 'account', 'account.id = key.accountId')
      .leftJoinAndMapOne('key.client', Client, 'client', 'client.id = key.clientId')
      .where(`key.${column} = :hash`, { hash })
      .getOne();
    if (!row) return null;
    // The row is read once, by the cache, into a CachedKey: it is not kept.
    const { account, client } = row as ApiKey & { account: Account; client?: Client | null };
    return { key: row, account, client: client ?? null };
  }
}

/** Judged on every use, never cached: a key expires, and a grace period ends, between two requests. */
function verdict(record: KeyRecord, prefix: string, now: number): KeyCheck {
  switch (record.state) {
    case 'live':
      return checkLive(record, prefix, now);
    case 'previous': {
      if (record.previousKeyExpiresAtMs !== null && record.previousKeyExpiresAtMs > now) {
        return { ...checkLive(record, prefix, now), previousValue: true };
      }
      return { ...failed('RESET', prefix, `API key ${prefix} was reset; use its new value`), ...found(record) };
    }
    case 'revoked':
      return { ...failed('REVOKED', prefix, `API key ${prefix} was revoked`), accountId: record.accountId, revokedKey: record };
    case 'unknown':
      return failed('NOT_FOUND', prefix, `API key ${prefix} does not exist (it may have been deleted)`);
  }
}

function checkLive(key: CachedKey, prefix: string, now: number): KeyCheck {
  if (isExpired(key, now)) {
    return { ...failed('EXPIRED', prefix, `API key ${prefix} expired at ${key.expiresAt?.toISOString()}`), ...found(key) };
  }
  if (!key.active) return { ...failed('INACTIVE', prefix, `API key ${prefix} is inactive`), ...found(key) };
  // Built whole rather than spread from found(): this is the answer to nearly every request.
  return { code: 'VALID', prefix, key, account: key.account, client: key.client, accountId: key.accountId, message: 'valid' };
}

function found(key: CachedKey): Pick<KeyCheck, 'key' | 'account' | 'client' | 'accountId'> {
  return { key, account: key.account, client: key.client, accountId: key.accountId };
}

function failed(code: KeyCheckCode, prefix: string | null, message: string): KeyCheck {
  return { code, prefix, key: null, account: null, client: null, accountId: null, message };
}
