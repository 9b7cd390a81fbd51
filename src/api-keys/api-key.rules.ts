import { AccountPrincipal, holds } from '../shared/principal';
import { BadUserInputError, ForbiddenError } from '../shared/errors';
import { normalizeName } from '../shared/validators';
import { ALL_PERMISSIONS, CLIENT_SCOPED_PERMISSIONS, normalizePermissions, Permission } from '../shared/permission';
import { ApiKeyKind } from '../shared/api-key-kind';
import { coversScope } from '../scopes/key-scopes';
import { ApiKey } from './api-key.entity';

/**
 * What a key can do, not what its row lists: the primary holds every
 * permission, including any added to the catalogue after it was made; and,
 * whatever is stored (defence in depth), a client key never acts beyond
 * client scope. Authentication, verification and the rule on changing a key all ask this.
 */
export function effectivePermissions(key: Pick<ApiKey, 'isPrimary' | 'kind' | 'permissions'>): readonly Permission[] {
  const held = key.isPrimary ? ALL_PERMISSIONS : key.permissions;
  return key.kind === ApiKeyKind.CLIENT ? held.filter((p) => CLIENT_SCOPED_PERMISSIONS.includes(p)) : held;
}

/**
 * Live keys (active or inactive; expired, revoked and deleted ones count for
 * nothing) an account may hold as admin keys, and each client. Playground keys
 * are not among them: they have PLAYGROUND_KEY_LIMIT.
 */
export const KEY_LIMIT = 25;

/**
 * Live playground keys an account may hold at once, on top of KEY_LIMIT, so
 * pressing the explorer's "Generate test token" can never lock an account out
 * of real keys. Each stops counting when it expires (PLAYGROUND_TTL_MS) or is
 * revoked or deleted; renaming one does not make it a real key.
 */
export const PLAYGROUND_KEY_LIMIT = 10;

export const PRIMARY_KEY_NAME = 'Primary admin key';

export const PLAYGROUND_KEY_NAME = 'Docs playground (temp)';
export const PLAYGROUND_TTL_MS = 60 * 60 * 1000;
/**
 * The leads permissions, to try the GraphQL API in the explorer, and keys:read, so the REST reference at
 * /docs has a route the key can call (every REST route is about keys). Creating one needs keys:write,
 * which includes keys:read: the same callers as before may make one.
 */
export const PLAYGROUND_PERMISSIONS: readonly Permission[] = [
  Permission.KEYS_READ,
  Permission.LEADS_READ,
  Permission.LEADS_CREATE,
  Permission.LEADS_UPDATE,
  Permission.LEADS_DELETE,
];

/** Longest grace period a reset may grant to the old value: 7 days. */
export const MAX_GRACE_PERIOD_SECONDS = 7 * 24 * 60 * 60;

const CLIENT_KEY_NAME = /^[\p{L}\p{N} _-]+$/u;

/** Trimmed name, with the client-key charset on top of the shape class-validator checked. */
export function normalizeKeyName(name: string, kind: ApiKeyKind, field = 'name'): string {
  const trimmed = normalizeName(name, field);
  if (kind === ApiKeyKind.CLIENT && !CLIENT_KEY_NAME.test(trimmed)) {
    throw new BadUserInputError(field, 'Client key names may contain only letters, digits, spaces, hyphens and underscores');
  }
  return trimmed;
}

/**
 * Nobody grants what it does not hold, and client keys hold only
 * client-scoped permissions. The whole resulting set is checked (not just
 * what is added), so a caller can never leave a key it edits holding more
 * than the caller itself.
 */
export function grantablePermissions(principal: AccountPrincipal, requested: readonly Permission[], kind: ApiKeyKind): Permission[] {
  const permissions = normalizePermissions(requested);
  if (kind === ApiKeyKind.CLIENT) {
    const outside = permissions.filter((p) => !CLIENT_SCOPED_PERMISSIONS.includes(p));
    if (outside.length > 0) {
      throw new BadUserInputError('permissions', `Client keys cannot hold ${outside.join(', ')}`);
    }
  }
  const lacking = permissions.filter((p) => !holds(principal, p));
  if (lacking.length > 0) {
    throw new ForbiddenError(`You cannot grant ${lacking.join(', ')}: you do not hold it yourself`);
  }
  return permissions;
}

/** Every change of a live key, as its error messages name it. */
export type KeyChangeVerb = 'rename' | 're-permission' | 'update' | 'deactivate' | 'activate' | 'revoke' | 'delete' | 'reset';

/**
 * One may change only a key whose (effective) permissions and platform scopes
 * one holds all of.
 * A reset hands the new value to the caller, so otherwise a narrow key with
 * keys:write could reset the primary key and take all of its power; and the
 * other changes act on a stronger key's owner just as much (switching it off,
 * revoking it, renaming it to mislead), so they follow the same rule.
 */
export function assertMayChange(principal: AccountPrincipal, key: ApiKey, verb: KeyChangeVerb): void {
  const lacking: string[] = effectivePermissions(key).filter((p) => !holds(principal, p));
  // Platform scopes too: a developer and the primary key hold them all (as in grantableScopes), another key its own.
  if (principal.kind === 'api-key' && !principal.isPrimary) {
    lacking.push(...key.scopes.filter((scope) => !coversScope(principal.scopes, scope)));
  }
  if (lacking.length === 0) return;
  const held = lacking.join(', ');
  throw new ForbiddenError(
    verb === 'reset'
      ? `Resetting ${key.prefix} would hand you ${held}, which you do not hold`
      : `You cannot ${verb} ${key.prefix}: it holds ${held}, which you do not hold`,
  );
}

export function assertNotPrimary(key: ApiKey, action: string): void {
  if (key.isPrimary) throw new ForbiddenError(`The primary admin key cannot be ${action}`);
}
