import { JWTPayload, SignJWT } from 'jose';

/** The HS256 secret test servers share with the tokens below (AUTH_JWT_SECRET). */
export const TEST_JWT_SECRET = 'test-only-jwt-secret-0123456789abcdef';

export interface UserTokenOptions {
  /** Defaults to TEST_JWT_SECRET. */
  secret?: string;
  /** Seconds from now; negative for an expired token. Defaults to one hour. Null: no exp claim. */
  expiresIn?: number | null;
  issuer?: string;
  audience?: string;
}

/**
 * A dashboard user's session JWT, signed the way a host platform's identity
 * provider would sign it (HS256). Written with jose directly, not with the
 * server's own minting code, so the tests check the server against the format.
 */
export function userToken(claims: JWTPayload, options: UserTokenOptions = {}): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt();
  const expiresIn = options.expiresIn === undefined ? 3600 : options.expiresIn;
  if (expiresIn !== null) jwt.setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn);
  if (options.issuer) jwt.setIssuer(options.issuer);
  if (options.audience) jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}

/** A token with `alg: none` and no signature, the classic forgery. */
export function unsignedToken(claims: JWTPayload): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ exp: Math.floor(Date.now() / 1000) + 3600, ...claims })}.`;
}
