import { ApiKeyKind } from '../api-keys/api-key-kind';
import { ForbiddenError } from '../common/errors';
import { Permission } from '../permissions/permission';

/** Who is calling. Built once per request by the authenticator, never from client input. */
export type Principal = AnonymousPrincipal | OperatorPrincipal | ApiKeyPrincipal;

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
}

/** A principal that belongs to one account and acts within it. */
export type AccountPrincipal = ApiKeyPrincipal;

export const ANONYMOUS: AnonymousPrincipal = { kind: 'anonymous' };

export function holds(principal: Principal, permission: Permission): boolean {
  return principal.kind === 'api-key' && principal.permissions.has(permission);
}

export function isAccountPrincipal(principal: Principal): principal is AccountPrincipal {
  return principal.kind === 'api-key';
}

/** Narrow to an account principal, or refuse: operators work on accounts, not inside one. */
export function requireAccountPrincipal(principal: Principal): AccountPrincipal {
  if (!isAccountPrincipal(principal)) {
    throw new ForbiddenError('This operation acts inside one account: call it with an API key of that account');
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
  }
}

/** Services re-check what the schema directive already checked: they are also called by the CLI and REST. */
export function requireOperator(principal: Principal): OperatorPrincipal {
  if (principal.kind !== 'operator') throw new ForbiddenError('Only the platform operator may do this');
  return principal;
}
