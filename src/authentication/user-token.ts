import { createRemoteJWKSet, errors, JWTPayload, jwtVerify, JWTVerifyGetKey, SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import { Account } from '../accounts/account.entity';
import { UnauthenticatedError } from '../shared/errors';
import { parseId } from '../shared/ids';
import { Config } from '../config/config';
import { ALL_PERMISSIONS, Permission } from '../shared/permission';
import { isDeveloperRole, UserPrincipal } from '../shared/principal';
import { hasControlCharacters } from '../shared/text';
import { RateLimitWindow } from '../shared/rate-limit-window';

/**
 * Dashboard users. A host platform's page never holds an API key: it calls
 * keyward with the session JWT its identity provider issued, and keyward
 * verifies it (HS256 with AUTH_JWT_SECRET, RS256/ES256 through AUTH_JWKS_URL)
 * and reads these claims:
 *
 * - `sub`: who the user is; the audit log records `user:<sub>`.
 * - `account_id`: the account the user acts in (must exist).
 * - `roles`: a list of strings (or one string); see DEVELOPER_ROLES (src/shared/principal.ts).
 * - `exp`: required; tokens without an end are refused, and so are tokens
 *   meant to live longer than AUTH_JWT_MAX_TTL (from `iat`, or from now).
 * - `iat`: optional; a token issued in the future (beyond the clock tolerance) is refused.
 * - `iss` / `aud`: checked when AUTH_JWT_ISSUER / AUTH_JWT_AUDIENCE are set.
 */
export type UserTokenSettings = Pick<
  Config,
  'authJwtSecret' | 'authJwksUrl' | 'authJwtIssuer' | 'authJwtAudience' | 'authJwtMaxTtlSeconds'
>;

/**
 * What the Developer permission grants: every catalogue permission, i.e. what
 * the account's primary key can do. Less would not do: nobody grants what it
 * does not hold, so a developer holding only keys:* could never issue the
 * leads:read key a partner integration exists for. A user without a
 * developer role holds nothing: `viewer` and its own `account`, no keys.
 */
export const DEVELOPER_PERMISSIONS: readonly Permission[] = ALL_PERMISSIONS;

/** Leeway for the clocks of keyward and the identity provider disagreeing. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** The audit actor column holds 200 characters, `user:` included. */
export const MAX_SUBJECT_LENGTH = 190;

const HMAC_ALGORITHMS = ['HS256'];
const JWKS_ALGORITHMS = ['RS256', 'ES256'];

/**
 * Three base64url segments: header, payload, signature. The signature may be
 * empty, so an unsigned (`alg: none`) token is recognised as a JWT and
 * refused as one, with a message that says so. Keys never contain a dot.
 */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function looksLikeJwt(credential: string): boolean {
  // Keys hold no dot: every request with a key is told apart by one scan, not a regular expression.
  return credential.includes('.') && JWT_SHAPE.test(credential);
}

export class UserTokenVerifier {
  private readonly secret: Uint8Array | null;
  private readonly jwks: JWTVerifyGetKey | null;
  private readonly algorithms: string[];

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: UserTokenSettings,
  ) {
    this.secret = settings.authJwtSecret ? new TextEncoder().encode(settings.authJwtSecret) : null;
    // jose caches the key set and refetches it (at most every 30 s) when a token names an unknown kid.
    this.jwks = settings.authJwksUrl ? createRemoteJWKSet(new URL(settings.authJwksUrl)) : null;
    this.algorithms = [...(this.secret ? HMAC_ALGORITHMS : []), ...(this.jwks ? JWKS_ALGORITHMS : [])];
  }

  async authenticate(token: string): Promise<UserPrincipal> {
    const payload = await this.verify(token);
    const claims = readClaims(payload);
    const account = await this.dataSource
      .getRepository(Account)
      .findOne({ select: { id: true, rateLimitPerMinute: true, rateLimitWindow: true }, where: { id: claims.accountId } });
    if (!account) throw new UnauthenticatedError(`The token's account ${claims.accountId} does not exist`);
    return userPrincipal(claims, account.rateLimitPerMinute, account.rateLimitWindow);
  }

  private async verify(token: string): Promise<JWTPayload> {
    if (this.algorithms.length === 0) {
      throw new UnauthenticatedError('JWTs are not accepted here: the server has neither AUTH_JWT_SECRET nor AUTH_JWKS_URL set');
    }
    try {
      const { payload } = await jwtVerify(token, this.keyFor, {
        // Checked before any key is chosen, so `none` and an HMAC token signed
        // with a public key (algorithm confusion) never reach a signature check.
        algorithms: this.algorithms,
        issuer: this.settings.authJwtIssuer,
        audience: this.settings.authJwtAudience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub'],
      });
      assertLifetime(payload, this.settings.authJwtMaxTtlSeconds);
      return payload;
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      throw new UnauthenticatedError(refusal(error, this.jwks !== null));
    }
  }

  private readonly keyFor: JWTVerifyGetKey = (header, input) => {
    if (header.alg !== undefined && HMAC_ALGORITHMS.includes(header.alg) && this.secret) return this.secret;
    if (this.jwks) return this.jwks(header, input);
    throw new errors.JOSEAlgNotAllowed(`"alg" (Algorithm) Header Parameter value not allowed`);
  };
}

export interface UserClaims {
  sub: string;
  accountId: number;
  roles: string[];
}

/**
 * A stolen session token is good until it expires, so its lifetime is capped:
 * `exp` at most AUTH_JWT_MAX_TTL after `iat` (or after now, for a token without
 * one), and `iat` not in the future. jose has checked both are numbers.
 */
function assertLifetime(payload: JWTPayload, maxTtlSeconds: number): void {
  const now = Math.floor(Date.now() / 1000);
  if (payload.iat !== undefined && payload.iat > now + CLOCK_TOLERANCE_SECONDS) {
    throw new UnauthenticatedError("The token's iat claim is in the future");
  }
  const issuedAt = Math.min(payload.iat ?? now, now);
  if ((payload.exp as number) - issuedAt > maxTtlSeconds + CLOCK_TOLERANCE_SECONDS) {
    throw new UnauthenticatedError(`The token lives longer than this server accepts (AUTH_JWT_MAX_TTL, ${maxTtlSeconds} s)`);
  }
}

function readClaims(payload: JWTPayload): UserClaims {
  const sub: unknown = payload.sub;
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > MAX_SUBJECT_LENGTH || hasControlCharacters(sub)) {
    throw new UnauthenticatedError(`The token's sub claim must be 1 to ${MAX_SUBJECT_LENGTH} printable characters`);
  }
  const rawAccount = payload.account_id;
  if (rawAccount === undefined) throw new UnauthenticatedError('The token has no account_id claim');
  const accountId = typeof rawAccount === 'string' || typeof rawAccount === 'number' ? parseId(rawAccount) : null;
  if (accountId === null) throw new UnauthenticatedError("The token's account_id claim is not an account id");
  return { sub, accountId, roles: readRoles(payload.roles) };
}

function readRoles(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw) && raw.every((role) => typeof role === 'string')) return raw as string[];
  throw new UnauthenticatedError("The token's roles claim must be a list of strings");
}

export function userPrincipal(
  claims: UserClaims,
  rateLimitPerMinute: number,
  rateLimitWindow: RateLimitWindow = RateLimitWindow.FIXED,
): UserPrincipal {
  const developer = claims.roles.some(isDeveloperRole);
  return {
    kind: 'user',
    sub: claims.sub,
    accountId: claims.accountId,
    roles: claims.roles,
    clientId: null,
    permissions: new Set(developer ? DEVELOPER_PERMISSIONS : []),
    rateLimitPerMinute,
    rateLimitWindow,
  };
}

/** Says what was wrong with a token, without echoing anything it carried. */
function refusal(error: unknown, remoteKeys: boolean): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not acceptable (${error.reason})`;
  if (error instanceof errors.JOSEAlgNotAllowed) return "The token's signing algorithm is not accepted here";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "The token's signature does not verify";
  if (error instanceof errors.JWKSNoMatchingKey) return 'No key in AUTH_JWKS_URL matches the token';
  // Outside jose's own errors, only the JWK Set's fetch can fail (a refused connection, say).
  const unreachable = error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError);
  if (remoteKeys && unreachable) {
    return 'The signing keys at AUTH_JWKS_URL could not be fetched; try again';
  }
  return 'The token is not a valid JWT';
}

/**
 * A development token, signed with AUTH_JWT_SECRET, as `keyward token`
 * prints it. Carries the configured issuer and audience, so the server that
 * shares these settings accepts it.
 */
export function mintUserToken(settings: UserTokenSettings, claims: UserClaims, ttlSeconds: number): Promise<string> {
  if (!settings.authJwtSecret) throw new Error('AUTH_JWT_SECRET is not set: there is no key to sign a development token with');
  const jwt = new SignJWT({ account_id: String(claims.accountId), roles: claims.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds);
  if (settings.authJwtIssuer) jwt.setIssuer(settings.authJwtIssuer);
  if (settings.authJwtAudience) jwt.setAudience(settings.authJwtAudience);
  return jwt.sign(new TextEncoder().encode(settings.authJwtSecret));
}
