import { timingSafeEqual } from 'node:crypto';
import { Account } from '../accounts/account.entity';
import { CachedKey } from './cached-key';
import { DeveloperApiDisabledError, IpNotAllowedError, UnauthenticatedError } from '../shared/errors';
import { effectivePermissions } from '../api-keys/api-key.rules';
import { KeyCheck, KeyVerifier, REFUSED_USAGE, usageKeyOf } from './key-verifier';
import { UsageKey, UsageOutcome } from '../usage/usage-outcome';
import { ANONYMOUS, ApiKeyPrincipal, OperatorPrincipal, Principal } from '../shared/principal';
import { looksLikeJwt, UserTokenVerifier } from './user-token';
import { rememberKeyUses } from '../rate-limits/key-charge';

const OPERATOR_BY_TOKEN: OperatorPrincipal = Object.freeze({ kind: 'operator', via: 'token' });

/**
 * Turns a presented credential into a principal, or refuses it with a 401.
 * No credential: anonymous. The operator token first, then dashboard-user
 * JWTs (told apart by shape: keys never contain a dot), then API keys. A
 * valid key of an account whose Developer API flag is off gets a 403, and
 * so does a key used from an address outside its allowedIps.
 */
export class Authenticator {
  private readonly operatorToken: Buffer | null;
  private readonly operatorTokenLength: number;
  /**
   * The principal of each cached key record, built once: records are frozen
   * and replaced (never changed) when their key or account changes, so a
   * principal made from one stays true for as long as the record is used.
   */
  private readonly principals = new WeakMap<CachedKey, ApiKeyPrincipal>();
  /** The same, for requests that present the value a reset replaced: their principal says so. */
  private readonly previousValuePrincipals = new WeakMap<CachedKey, ApiKeyPrincipal>();

  constructor(
    private readonly keys: KeyVerifier,
    platformAdminToken: string | undefined,
    private readonly users: UserTokenVerifier,
    /** Notes each successful key authentication for lastUsedAt/lastUsedIp (written behind, never here). */
    private readonly keyUse?: { record(keyId: number, ip: string | null): void },
    /**
     * Counts the refusals of existing keys by outcome (usage analytics). An
     * admitted request is counted where it is charged, once its outcome (VALID
     * or RATE_LIMITED) is known, so each request counts once.
     */
    private readonly usage?: { record(key: UsageKey, outcome: UsageOutcome): void },
  ) {
    this.operatorToken = platformAdminToken ? Buffer.from(platformAdminToken) : null;
    this.operatorTokenLength = platformAdminToken?.length ?? 0;
  }

  /**
   * The principal, or a refusal thrown (or rejected). Answered synchronously
   * when nothing needs I/O (no credential, the operator token, a cached key):
   * callers must take both a value and a promise.
   */
  authenticate(credential: string | null, ip: string | null = null): Principal | Promise<Principal> {
    if (credential === null) return ANONYMOUS;
    if (this.isOperatorToken(credential)) return OPERATOR_BY_TOKEN;
    if (looksLikeJwt(credential)) return this.users.authenticate(credential);
    // Keys never contain a dot: a dotted credential was meant as a token, and is answered as one.
    if (credential.includes('.'))
      throw new UnauthenticatedError('The token is not a well-formed JWT (three base64url parts joined by dots)', 'INVALID_JWT');
    const check = this.keys.check(credential);
    return check instanceof Promise ? check.then((loaded) => this.admit(loaded, ip)) : this.admit(check, ip);
  }

  /** A checked key's principal, or its refusal. */
  private admit(check: KeyCheck, ip: string | null): ApiKeyPrincipal {
    if (check.code !== 'VALID' || !check.key) {
      const known = usageKeyOf(check);
      const outcome = REFUSED_USAGE[check.code];
      if (known !== null && outcome !== undefined) this.usage?.record(known, outcome);
      throw new UnauthenticatedError(check.message, check.code);
    }
    if (!check.account?.developerApiEnabled) {
      this.usage?.record(check.key, UsageOutcome.DEVELOPER_API_DISABLED);
      throw new DeveloperApiDisabledError(
        `API key ${check.prefix} belongs to an account whose Developer API is disabled; the platform operator can turn it on`,
      );
    }
    // Checked on every request, before the principal (cached per key record, not per address) is handed out.
    const allowlist = check.key.allowlist;
    if (allowlist !== null && !allowlist.allows(ip)) {
      this.usage?.record(check.key, UsageOutcome.IP_NOT_ALLOWED);
      throw new IpNotAllowedError(
        `API key ${check.prefix} may not be used from ${ip ?? 'an unknown address'}: it is outside the key's allowed IPs`,
      );
    }
    this.keyUse?.record(check.key.id, ip);
    const principals = check.previousValue ? this.previousValuePrincipals : this.principals;
    let principal = principals.get(check.key);
    if (!principal) {
      principal = Object.freeze(principalOf(check.key, check.account, check.previousValue === true));
      principals.set(check.key, principal);
      if (check.key.uses !== null) rememberKeyUses(principal, check.key.uses);
    }
    return principal;
  }

  private isOperatorToken(credential: string): boolean {
    if (!this.operatorToken) return false;
    // Strings of another length cannot be the token's bytes, and the token's length is no
    // secret (the comparison below already tells it): keys never pay for the buffer.
    if (credential.length !== this.operatorTokenLength) return false;
    const presented = Buffer.from(credential);
    return presented.length === this.operatorToken.length && timingSafeEqual(presented, this.operatorToken);
  }
}

/** `previousValue`: the request presented the value the key's last reset replaced (still in its grace period). */
export function principalOf(
  key: CachedKey,
  account: Pick<Account, 'rateLimitPerMinute' | 'rateLimitWindow'>,
  previousValue = false,
): ApiKeyPrincipal {
  return {
    ...(previousValue && key.previousKeyExpiresAt ? { previousValueExpiresAt: key.previousKeyExpiresAt } : {}),
    kind: 'api-key',
    keyId: key.id,
    keyKind: key.kind,
    prefix: key.prefix,
    accountId: key.accountId,
    clientId: key.clientId,
    isPrimary: key.isPrimary,
    permissions: new Set(effectivePermissions(key)),
    scopes: key.scopes,
    rateLimitPerMinute: account.rateLimitPerMinute,
    rateLimitWindow: account.rateLimitWindow,
  };
}
