import { timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiKeyKind } from '../api-keys/api-key-kind';
import { ApiKey, isExpired } from '../api-keys/api-key.entity';
import { parseKey } from '../api-keys/key-material';
import { RevokedKey } from '../api-keys/revoked-key.entity';
import { UnauthenticatedError } from '../common/errors';
import { ALL_PERMISSIONS, CLIENT_SCOPED_PERMISSIONS } from '../permissions/permission';
import { ANONYMOUS, ApiKeyPrincipal, Principal } from './principal';

/**
 * Turns a presented credential into a principal, or refuses it with a 401
 * whose message names the key's prefix where there is one (the caller holds
 * the key, so the prefix tells it nothing new).
 *
 * Order: operator token; key format and checksum (no I/O); the live key by
 * hash; a previous value inside its reset grace period; a revoked key.
 */
export class Authenticator {
  private readonly operatorToken: Buffer | null;

  constructor(
    private readonly dataSource: DataSource,
    platformAdminToken: string | undefined,
  ) {
    this.operatorToken = platformAdminToken ? Buffer.from(platformAdminToken) : null;
  }

  async authenticate(credential: string | null): Promise<Principal> {
    if (credential === null) return ANONYMOUS;
    if (this.isOperatorToken(credential)) return { kind: 'operator', via: 'token' };
    const parsed = parseKey(credential);
    if (!parsed.ok) {
      throw new UnauthenticatedError(
        parsed.reason === 'checksum'
          ? `API key ${parsed.prefix} fails its checksum: it was not copied whole`
          : 'The credential is not a valid API key',
      );
    }
    const keys = this.dataSource.getRepository(ApiKey);
    const live = await keys.findOneBy({ keyHash: parsed.hash });
    if (live) return principalOf(live, parsed.prefix);

    const reset = await keys.findOneBy({ previousKeyHash: parsed.hash });
    if (reset) {
      if (reset.previousKeyExpiresAt && reset.previousKeyExpiresAt.getTime() > Date.now()) {
        return principalOf(reset, parsed.prefix);
      }
      throw new UnauthenticatedError(`API key ${parsed.prefix} was reset; use its new value`);
    }
    if (await this.dataSource.getRepository(RevokedKey).existsBy({ keyHash: parsed.hash })) {
      throw new UnauthenticatedError(`API key ${parsed.prefix} was revoked`);
    }
    throw new UnauthenticatedError(`API key ${parsed.prefix} does not exist (it may have been deleted)`);
  }

  private isOperatorToken(credential: string): boolean {
    if (!this.operatorToken) return false;
    const presented = Buffer.from(credential);
    return presented.length === this.operatorToken.length && timingSafeEqual(presented, this.operatorToken);
  }
}

function principalOf(key: ApiKey, presentedPrefix: string): ApiKeyPrincipal {
  if (isExpired(key, new Date())) {
    throw new UnauthenticatedError(`API key ${presentedPrefix} expired at ${key.expiresAt?.toISOString()}`);
  }
  if (!key.active) throw new UnauthenticatedError(`API key ${presentedPrefix} is inactive`);
  // Defence in depth: whatever is stored, a client key never acts beyond client scope.
  const held = key.isPrimary ? ALL_PERMISSIONS : key.permissions;
  const permissions =
    key.kind === ApiKeyKind.CLIENT ? held.filter((p) => CLIENT_SCOPED_PERMISSIONS.includes(p)) : held;
  return {
    kind: 'api-key',
    keyId: key.id,
    keyKind: key.kind,
    prefix: key.prefix,
    accountId: key.accountId,
    clientId: key.clientId,
    isPrimary: key.isPrimary,
    permissions: new Set(permissions),
  };
}
