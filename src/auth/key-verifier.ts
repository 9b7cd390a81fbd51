import { DataSource } from 'typeorm';
import { Account } from '../accounts/account.entity';
import { ApiKey, isExpired } from '../api-keys/api-key.entity';
import { parseKey } from '../api-keys/key-material';
import { RevokedKey } from '../api-keys/revoked-key.entity';

/** Why a presented key does or does not work. */
export type KeyCheckCode = 'VALID' | 'MALFORMED' | 'NOT_FOUND' | 'RESET' | 'REVOKED' | 'EXPIRED' | 'INACTIVE';

export interface KeyCheck {
  code: KeyCheckCode;
  /** The prefix the presented value carries, when it is shaped like a key. */
  prefix: string | null;
  /** The live key record (for VALID, EXPIRED, INACTIVE, RESET). */
  key: ApiKey | null;
  /** The key's account (with the key), for the Developer API flag and the plan's rate limit. */
  account: Account | null;
  /** For the 401: names the presented prefix; the holder of the key learns nothing new. */
  message: string;
}

/**
 * Checks one raw key: format and checksum (no I/O), then the live key by
 * hash, then a previous value inside its reset grace period, then the revoked
 * keys. Shared by authentication and by verifyApiKey.
 */
export class KeyVerifier {
  constructor(private readonly dataSource: DataSource) {}

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

  async check(raw: string): Promise<KeyCheck> {
    const parsed = parseKey(raw);
    if (!parsed.ok) {
      return parsed.reason === 'checksum'
        ? failed('MALFORMED', parsed.prefix, `API key ${parsed.prefix} fails its checksum: it was not copied whole`)
        : failed('MALFORMED', null, 'The credential is not a valid API key');
    }
    const { prefix, hash } = parsed;
    const live = await this.keyWithAccount('keyHash', hash);
    if (live) return checkLive(live.key, live.account, prefix);

    const reset = await this.keyWithAccount('previousKeyHash', hash);
    if (reset) {
      const { key, account } = reset;
      if (key.previousKeyExpiresAt && key.previousKeyExpiresAt.getTime() > Date.now()) return checkLive(key, account, prefix);
      return { ...failed('RESET', prefix, `API key ${prefix} was reset; use its new value`), key, account };
    }
    if (await this.dataSource.getRepository(RevokedKey).existsBy({ keyHash: hash })) {
      return failed('REVOKED', prefix, `API key ${prefix} was revoked`);
    }
    return failed('NOT_FOUND', prefix, `API key ${prefix} does not exist (it may have been deleted)`);
  }
}

function checkLive(key: ApiKey, account: Account, prefix: string): KeyCheck {
  if (isExpired(key, new Date())) {
    return { ...failed('EXPIRED', prefix, `API key ${prefix} expired at ${key.expiresAt?.toISOString()}`), key, account };
  }
  if (!key.active) return { ...failed('INACTIVE', prefix, `API key ${prefix} is inactive`), key, account };
  return { code: 'VALID', prefix, key, account, message: 'valid' };
}

function failed(code: KeyCheckCode, prefix: string | null, message: string): KeyCheck {
  return { code, prefix, key: null, account: null, message };
}
