import { ApiKeyKind } from './api-key-kind';
import { ForbiddenError } from './errors';
import { includesPermission, Permission } from './permission';
import { RateLimitWindow } from './rate-limit-window';

/** Who is calling. Built once per request by the authenticator, never from client input. */
export type Principal = AnonymousPrincipal | OperatorPrincipal | ApiKeyPrincipal | UserPrincipal;

export interface AnonymousPrincipal {
  kind: 'anonymous';
}

/** The platform operator: PLATFORM_ADMIN_TOKEN over HTTP, or the CLI on the server's host. */
export interface OperatorPrincipal {
  kind: 'operator';
  /** How the operator reached us, for the audit log: the token, the CLI, or the first start's bootstrap. */
  via: 'token' | 'cli' | 'bootstrap';
}

export interface ApiKeyPrincipal {
  kind: 'api-key';
  keyId: number;
  keyKind: ApiKeyKind;
  prefix: string;
  accountId: number;
  /** Set for client keys: they act on this client only. */
  clientId: number | null;
  isPrimary: boolean;
  permissions: ReadonlySet<Permission>;
  /** The key's platform scopes, sorted (shared, frozen): a key changes only keys whose scopes it holds too. */
  scopes: readonly string[];
  /** The account's plan limit: the size of the pool this key draws from (see src/rate-limits). */
  rateLimitPerMinute: number;
  /** How that pool counts its window (the account's plan setting). */
  rateLimitWindow: RateLimitWindow;
  /**
   * Set when the request presented the value the key's last reset replaced:
   * it works only until then (the grace period's end), so the holder should
   * switch to the key's new value.
   */
  previousValueExpiresAt?: Date;
}

/**
 * A dashboard user: a person signed in to the host platform, whose page calls
 * keyward with the session JWT the platform's identity provider issued.
 * Account-wide (never client-scoped); permissions come from the token's roles
 * (see user-token.ts).
 */
export interface UserPrincipal {
  kind: 'user';
  /** The token's `sub`: the audit log names the user by it. */
  sub: string;
  accountId: number;
  roles: readonly string[];
  clientId: null;
  permissions: ReadonlySet<Permission>;
  /** The account's plan limit: each user has a pool of this size of their own (see src/rate-limits). */
  rateLimitPerMinute: number;
  /** How that pool counts its window (the account's plan setting). */
  rateLimitWindow: RateLimitWindow;
}

/**
 * The roles of a user token that are the "Developer permission" (any one of
 * them, in any case): they grant every permission of the catalogue; a user
 * without one holds none (see user-token.ts).
 */
export const DEVELOPER_ROLES: readonly string[] = ['developer', 'admin', 'owner'];

export function isDeveloperRole(role: string): boolean {
  return DEVELOPER_ROLES.includes(role.toLowerCase());
}

/** A principal that belongs to one account and acts within it. */
export type AccountPrincipal = ApiKeyPrincipal | UserPrincipal;

export const ANONYMOUS: AnonymousPrincipal = { kind: 'anonymous' };

/** The one question "may this caller act with P", for GraphQL's @auth, REST routes and the services' rules alike. */
export function holds(principal: Principal, permission: Permission): boolean {
  return isAccountPrincipal(principal) && includesPermission(principal.permissions, permission);
}

export function isAccountPrincipal(principal: Principal): principal is AccountPrincipal {
  return principal.kind === 'api-key' || principal.kind === 'user';
}

/** Narrow to an account principal, or refuse: operators work on accounts, not inside one. */
export function requireAccountPrincipal(principal: Principal): AccountPrincipal {
  if (!isAccountPrincipal(principal)) {
    throw new ForbiddenError('This operation acts inside one account: call it with an API key or a user token of that account');
  }
  return principal;
}

/** The label the audit log and revoked-by records use for a principal. */
export function actorLabel(principal: Principal): string {
  switch (principal.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'operator':
      return principal.via === 'token' ? 'operator' : `operator (${principal.via})`;
    case 'api-key':
      return principal.prefix;
    case 'user':
      return `user:${principal.sub}`;
  }
}

/** Services re-check what the schema directive already checked: they are also called by the CLI and REST. */
export function requireOperator(principal: Principal): OperatorPrincipal {
  if (principal.kind !== 'operator') throw new ForbiddenError('Only the platform operator may do this');
  return principal;
}
