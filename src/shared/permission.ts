import { registerEnumType } from 'type-graphql';

/**
 * The closed catalogue of permissions, `resource:action`. The enum keys are the
 * GraphQL names (KEYS_READ); the values are what is stored and shown in audit
 * details (keys:read). This file is the only list: add a permission here and
 * the schema, the catalogue query and the grant checks all follow.
 */
export enum Permission {
  KEYS_READ = 'keys:read',
  KEYS_WRITE = 'keys:write',
  CLIENTS_READ = 'clients:read',
  CLIENTS_WRITE = 'clients:write',
  LEADS_READ = 'leads:read',
  LEADS_CREATE = 'leads:create',
  LEADS_UPDATE = 'leads:update',
  LEADS_DELETE = 'leads:delete',
  AUDIT_READ = 'audit:read',
  KEYS_VERIFY = 'keys:verify',
  WEBHOOKS_READ = 'webhooks:read',
  WEBHOOKS_WRITE = 'webhooks:write',
}

registerEnumType(Permission, {
  name: 'Permission',
  description: 'What a key may do, as resource:action. A new key holds none unless granted.',
});

interface PermissionDescription {
  description: string;
  /** May a client key hold it? Client keys act only on their own client. */
  clientScoped: boolean;
}

export const PERMISSION_CATALOGUE: Record<Permission, PermissionDescription> = {
  [Permission.KEYS_READ]: { description: 'List and read API keys and revoked keys', clientScoped: true },
  [Permission.KEYS_WRITE]: {
    description: 'Create, rename, re-permission, reset, deactivate, revoke and delete API keys; includes keys:read',
    clientScoped: true,
  },
  [Permission.CLIENTS_READ]: { description: 'List and read client sub-accounts', clientScoped: false },
  [Permission.CLIENTS_WRITE]: { description: 'Create and rename client sub-accounts', clientScoped: false },
  [Permission.LEADS_READ]: { description: 'List and read leads', clientScoped: true },
  [Permission.LEADS_CREATE]: { description: 'Create leads', clientScoped: true },
  [Permission.LEADS_UPDATE]: { description: 'Update leads', clientScoped: true },
  [Permission.LEADS_DELETE]: { description: 'Delete leads', clientScoped: true },
  [Permission.AUDIT_READ]: { description: 'Read the audit log', clientScoped: true },
  [Permission.KEYS_VERIFY]: {
    description: "Verify other keys on behalf of the platform's services",
    clientScoped: false,
  },
  [Permission.WEBHOOKS_READ]: { description: "List the account's webhook endpoints and their deliveries", clientScoped: false },
  [Permission.WEBHOOKS_WRITE]: {
    description: 'Create, change, delete and rotate the secrets of webhook endpoints, and redeliver events; includes webhooks:read',
    clientScoped: false,
  },
};

export const ALL_PERMISSIONS: readonly Permission[] = Object.values(Permission);

export const CLIENT_SCOPED_PERMISSIONS: readonly Permission[] = ALL_PERMISSIONS.filter((p) => PERMISSION_CATALOGUE[p].clientScoped);

const BY_VALUE = new Map<string, Permission>(ALL_PERMISSIONS.map((p) => [p, p]));

export function parsePermission(value: string): Permission | undefined {
  return BY_VALUE.get(value);
}

/**
 * What holding a permission brings with it. Changing a key answers with the
 * key, so keys:write without keys:read would be a read through a write (as
 * with Stripe's restricted keys, write includes read). Every check of "does
 * this caller hold P" comes here, through `holds`.
 */
const IMPLIES: Partial<Record<Permission, readonly Permission[]>> = {
  [Permission.KEYS_WRITE]: [Permission.KEYS_READ],
  [Permission.WEBHOOKS_WRITE]: [Permission.WEBHOOKS_READ],
};

/** Whether a set of held permissions includes this one, directly or through one that implies it. */
export function includesPermission(held: ReadonlySet<Permission>, permission: Permission): boolean {
  if (held.has(permission)) return true;
  for (const p of held) if (IMPLIES[p]?.includes(permission)) return true;
  return false;
}

/** Held permissions and everything they bring (keys:write: keys:read too), in catalogue order: what the holder may do. */
export function withImplied(held: ReadonlySet<Permission>): Permission[] {
  return ALL_PERMISSIONS.filter((p) => includesPermission(held, p));
}

/** Stable order (catalogue order) with duplicates removed, so stored lists compare equal. */
export function normalizePermissions(permissions: Iterable<Permission>): Permission[] {
  const wanted = new Set(permissions);
  return ALL_PERMISSIONS.filter((p) => wanted.has(p));
}
