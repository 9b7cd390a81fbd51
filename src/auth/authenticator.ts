import { timingSafeEqual } from 'node:crypto';
import { ApiKeyKind } from '../api-keys/api-key-kind';
import { ApiKey } from '../api-keys/api-key.entity';
import { UnauthenticatedError } from '../common/errors';
import { ALL_PERMISSIONS, CLIENT_SCOPED_PERMISSIONS } from '../permissions/permission';
import { KeyVerifier } from './key-verifier';
import { ANONYMOUS, ApiKeyPrincipal, Principal } from './principal';

/**
 * Turns a presented credential into a principal, or refuses it with a 401.
 * No credential: anonymous. The operator token first, then API keys.
 */
export class Authenticator {
  private readonly operatorToken: Buffer | null;

  constructor(
    private readonly keys: KeyVerifier,
    platformAdminToken: string | undefined,
  ) {
    this.operatorToken = platformAdminToken ? Buffer.from(platformAdminToken) : null;
  }

  async authenticate(credential: string | null): Promise<Principal> {
    if (credential === null) return ANONYMOUS;
    if (this.isOperatorToken(credential)) return { kind: 'operator', via: 'token' };
    const check = await this.keys.check(credential);
    if (check.code !== 'VALID' || !check.key) throw new UnauthenticatedError(check.message);
    return principalOf(check.key);
  }

  private isOperatorToken(credential: string): boolean {
    if (!this.operatorToken) return false;
    const presented = Buffer.from(credential);
    return presented.length === this.operatorToken.length && timingSafeEqual(presented, this.operatorToken);
  }
}

export function principalOf(key: ApiKey): ApiKeyPrincipal {
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
  };
}
