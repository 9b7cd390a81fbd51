import { timingSafeEqual } from 'node:crypto';
import { Account } from '../accounts/account.entity';
import { ApiKeyKind } from '../api-keys/api-key-kind';
import { ApiKey } from '../api-keys/api-key.entity';
import { DeveloperApiDisabledError, UnauthenticatedError } from '../common/errors';
import { ALL_PERMISSIONS, CLIENT_SCOPED_PERMISSIONS } from '../permissions/permission';
import { KeyVerifier } from './key-verifier';
import { ANONYMOUS, ApiKeyPrincipal, Principal } from './principal';
import { looksLikeJwt, UserTokenVerifier } from './user-token';

/**
 * Turns a presented credential into a principal, or refuses it with a 401.
 * No credential: anonymous. The operator token first, then dashboard-user
 * JWTs (told apart by shape: keys never contain a dot), then API keys. A
 * valid key of an account whose Developer API flag is off gets a 403.
 */
export class Authenticator {
  private readonly operatorToken: Buffer | null;

  constructor(
    private readonly keys: KeyVerifier,
    platformAdminToken: string | undefined,
    private readonly users: UserTokenVerifier,
    /** Notes each successful key authentication for lastUsedAt/lastUsedIp (written behind, never here). */
    private readonly keyUse?: { record(keyId: number, ip: string | null): void },
  ) {
    this.operatorToken = platformAdminToken ? Buffer.from(platformAdminToken) : null;
  }

  async authenticate(credential: string | null, ip: string | null = null): Promise<Principal> {
    if (credential === null) return ANONYMOUS;
    if (this.isOperatorToken(credential)) return { kind: 'operator', via: 'token' };
    if (looksLikeJwt(credential)) return this.users.authenticate(credential);
    const check = await this.keys.check(credential);
    if (check.code !== 'VALID' || !check.key) throw new UnauthenticatedError(check.message, check.code);
    if (!check.account?.developerApiEnabled) {
      throw new DeveloperApiDisabledError(
        `API key ${check.prefix} belongs to an account whose Developer API is disabled; the platform operator can turn it on`,
      );
    }
    this.keyUse?.record(check.key.id, ip);
    return principalOf(check.key, check.account);
  }

  private isOperatorToken(credential: string): boolean {
    if (!this.operatorToken) return false;
    const presented = Buffer.from(credential);
    return presented.length === this.operatorToken.length && timingSafeEqual(presented, this.operatorToken);
  }
}

export function principalOf(key: ApiKey, account: Pick<Account, 'rateLimitPerMinute'>): ApiKeyPrincipal {
  // Defence in depth: whatever is stored, a client key never acts beyond client scope.
  const held = key.isPrimary ? ALL_PERMISSIONS : key.permissions;
  const permissions = key.kind === ApiKeyKind.CLIENT ? held.filter((p) => CLIENT_SCOPED_PERMISSIONS.includes(p)) : held;
  return {
    kind: 'api-key',
    keyId: key.id,
    keyKind: key.kind,
    prefix: key.prefix,
    accountId: key.accountId,
    clientId: key.clientId,
    isPrimary: key.isPrimary,
    permissions: new Set(permissions),
    rateLimitPerMinute: account.rateLimitPerMinute,
  };
}
