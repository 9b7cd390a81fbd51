import { DataSource } from 'typeorm';
import { Account } from '../accounts/account.entity';
import { ApiKey, isExpired } from '../api-keys/api-key.entity';
import { parseKey } from '../api-keys/key-material';
import { RevokedKey } from '../api-keys/revoked-key.entity';
import { KeyRecord, VerificationCache } from '../cache/verification-cache';
import { Metrics } from '../observability/metrics';

/** Why a presented key does or does not work. */
export type KeyCheckCode = 'VALID' | 'MALFORMED' | 'NOT_FOUND' | 'RESET' | 'REVOKED' | 'EXPIRED' | 'INACTIVE';

export interface KeyCheck {
  code: KeyCheckCode;
  /** The prefix the presented value carries, when it is shaped like a key. */
  prefix: string | null;
  /** The live key record (for VALID, EXPIRED, INACTIVE, RESET). Shared through the cache and frozen: read it, never change it. */
  key: ApiKey | null;
  /** The key's account (with the key), for the Developer API flag and the plan's rate limit. */
  account: Account | null;
  /** For the 401: names the presented prefix; the holder of the key learns nothing new. */
  message: string;
}

/**
 * Checks one raw key: format and checksum (no I/O), then what the database
 * knows about its hash — the live key, a previous value a reset replaced, a
 * revoked key, or nothing — through the verification cache, then the verdict
 * at this moment (expiry, grace period, active). Shared by authentication and
 * by verifyApiKey.
 */
export class KeyVerifier {
  /** `metrics`: times every check (keyward_key_verification_duration_seconds); the cache reports its hits there too. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: VerificationCache,
    private readonly metrics?: Metrics,
  ) {}

  async check(raw: string): Promise<KeyCheck> {
    const done = this.metrics?.startVerification();
    const result = await this.lookUp(raw);
    done?.(result.code);
    return result;
  }

  private async lookUp(raw: string): Promise<KeyCheck> {
    const parsed = parseKey(raw);
    if (!parsed.ok) {
      return parsed.reason === 'checksum'
        ? failed('MALFORMED', parsed.prefix, `API key ${parsed.prefix} fails its checksum: it was not copied whole`)
        : failed('MALFORMED', null, 'The credential is not a valid API key');
    }
    const { prefix, hash } = parsed;
    const record = await this.cache.lookup(hash, (h) => this.load(h));
    return verdict(record, prefix, new Date());
  }

  /** At most three indexed lookups, most likely first; the cache keeps the answer, found or not. */
  private async load(hash: string): Promise<KeyRecord> {
    const live = await this.keyWithAccount('keyHash', hash);
    if (live) return { state: 'live', ...live };
    const previous = await this.keyWithAccount('previousKeyHash', hash);
    if (previous) return { state: 'previous', ...previous };
    const revoked = await this.dataSource.getRepository(RevokedKey).exists({ where: [{ keyHash: hash }, { previousKeyHash: hash }] });
    return { state: revoked ? 'revoked' : 'unknown' };
  }

  /** One indexed lookup that brings the account along. */
  private async keyWithAccount(column: 'keyHash' | 'previousKeyHash', hash: string) {
    const row = await this.dataSource
      .getRepository(ApiKey)
      .createQueryBuilder('key')
      .innerJoinAndMapOne('key.account', Account, 'account', 'account.id = key.accountId')
      .where(`key.${column} = :hash`, { hash })
      .getOne();
    if (!row) return null;
    const { account, ...rest } = row as ApiKey & { account: Account };
    return { key: Object.assign(new ApiKey(), rest), account };
  }
}

/** Judged on every use, never cached: a key expires, and a grace period ends, between two requests. */
function verdict(record: KeyRecord, prefix: string, now: Date): KeyCheck {
  switch (record.state) {
    case 'live':
      return checkLive(record.key, record.account, prefix, now);
    case 'previous': {
      const { key, account } = record;
      if (key.previousKeyExpiresAt && key.previousKeyExpiresAt.getTime() > now.getTime()) return checkLive(key, account, prefix, now);
      return { ...failed('RESET', prefix, `API key ${prefix} was reset; use its new value`), key, account };
    }
    case 'revoked':
      return failed('REVOKED', prefix, `API key ${prefix} was revoked`);
    case 'unknown':
      return failed('NOT_FOUND', prefix, `API key ${prefix} does not exist (it may have been deleted)`);
  }
}

function checkLive(key: ApiKey, account: Account, prefix: string, now: Date): KeyCheck {
  if (isExpired(key, now)) {
    return { ...failed('EXPIRED', prefix, `API key ${prefix} expired at ${key.expiresAt?.toISOString()}`), key, account };
  }
  if (!key.active) return { ...failed('INACTIVE', prefix, `API key ${prefix} is inactive`), key, account };
  return { code: 'VALID', prefix, key, account, message: 'valid' };
}

function failed(code: KeyCheckCode, prefix: string | null, message: string): KeyCheck {
  return { code, prefix, key: null, account: null, message };
}
