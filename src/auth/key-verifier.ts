import { DataSource } from 'typeorm';
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

  async check(raw: string): Promise<KeyCheck> {
    const parsed = parseKey(raw);
    if (!parsed.ok) {
      return parsed.reason === 'checksum'
        ? failed('MALFORMED', parsed.prefix, `API key ${parsed.prefix} fails its checksum: it was not copied whole`)
        : failed('MALFORMED', null, 'The credential is not a valid API key');
    }
    const { prefix, hash } = parsed;
    const keys = this.dataSource.getRepository(ApiKey);
    const live = await keys.findOneBy({ keyHash: hash });
    if (live) return checkLive(live, prefix);

    const reset = await keys.findOneBy({ previousKeyHash: hash });
    if (reset) {
      if (reset.previousKeyExpiresAt && reset.previousKeyExpiresAt.getTime() > Date.now()) return checkLive(reset, prefix);
      return { ...failed('RESET', prefix, `API key ${prefix} was reset; use its new value`), key: reset };
    }
    if (await this.dataSource.getRepository(RevokedKey).existsBy({ keyHash: hash })) {
      return failed('REVOKED', prefix, `API key ${prefix} was revoked`);
    }
    return failed('NOT_FOUND', prefix, `API key ${prefix} does not exist (it may have been deleted)`);
  }
}

function checkLive(key: ApiKey, prefix: string): KeyCheck {
  if (isExpired(key, new Date())) {
    return { ...failed('EXPIRED', prefix, `API key ${prefix} expired at ${key.expiresAt?.toISOString()}`), key };
  }
  if (!key.active) return { ...failed('INACTIVE', prefix, `API key ${prefix} is inactive`), key };
  return { code: 'VALID', prefix, key, message: 'valid' };
}

function failed(code: KeyCheckCode, prefix: string | null, message: string): KeyCheck {
  return { code, prefix, key: null, message };
}
