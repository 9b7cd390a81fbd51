import { Permission, PERMISSION_CATALOGUE } from '../../src/shared/permission';

/**
 * The contract the isolation matrix checks, written down once: who the
 * principals are, what objects they aim at, and what each combination must
 * answer. Everything here is static, so every row's name can say what it
 * expects before the world exists.
 */

export type Tenant = 'A' | 'B';
export const TENANTS: readonly Tenant[] = ['A', 'B'];
export type Slot = 'c1' | 'c2';

/** Where an object lives: an account, and within it the account itself (client null) or one client. */
export interface Scope {
  tenant: Tenant;
  client: string | null;
}

/** GraphQL enum names, from the one list of permissions, so a new permission joins "everything" by itself. */
export type PermissionName = keyof typeof Permission;
export const EVERYTHING = Object.keys(Permission) as PermissionName[];
export const CLIENT_SCOPED = EVERYTHING.filter((p) => PERMISSION_CATALOGUE[Permission[p]].clientScoped);
export const LEADS_ALL: PermissionName[] = ['LEADS_READ', 'LEADS_CREATE', 'LEADS_UPDATE', 'LEADS_DELETE'];

export type PrincipalKind = 'anonymous' | 'operator' | 'admin-key' | 'client-key' | 'user';

export interface PrincipalSpec {
  name: string;
  kind: PrincipalKind;
  /** Null for the anonymous caller and the operator, who belong to no account. */
  scope: { tenant: Tenant; client: Slot | null } | null;
  permissions: readonly PermissionName[];
}

/** The admin keys' and client keys' grants; chosen so each pair differs where an escalation could hide. */
export const GRANTS = {
  // Everything but keys:verify: broad, yet it must not reach what only the primary holds.
  broad: EVERYTHING.filter((p) => p !== 'KEYS_VERIFY'),
  reader: ['KEYS_READ', 'CLIENTS_READ', 'LEADS_READ', 'AUDIT_READ'] as PermissionName[],
  empty: [] as PermissionName[],
  // keys:write alone: it reads keys through it, yet changes only keys that hold nothing more.
  writer: ['KEYS_WRITE'] as PermissionName[],
  clientBroad: CLIENT_SCOPED,
  clientNarrow: ['KEYS_READ', 'KEYS_WRITE', 'LEADS_READ'] as PermissionName[],
  /** The victim keys the matrix aims at: each holds one thing a plausible attacker lacks. */
  adminVictim: ['LEADS_READ', 'KEYS_VERIFY'] as PermissionName[],
  clientVictim: ['LEADS_READ', 'LEADS_CREATE'] as PermissionName[],
};

function tenantPrincipals(tenant: Tenant): PrincipalSpec[] {
  const admin = (role: string, permissions: readonly PermissionName[]): PrincipalSpec => ({
    name: `${tenant}.${role}`,
    kind: 'admin-key',
    scope: { tenant, client: null },
    permissions,
  });
  const client = (slot: Slot, role: string, permissions: readonly PermissionName[]): PrincipalSpec => ({
    name: `${tenant}.${slot}.${role}`,
    kind: 'client-key',
    scope: { tenant, client: slot },
    permissions,
  });
  const user = (role: string, permissions: readonly PermissionName[]): PrincipalSpec => ({
    name: `${tenant}.${role}`,
    kind: 'user',
    scope: { tenant, client: null },
    permissions,
  });
  return [
    admin('primary', EVERYTHING),
    admin('broad', GRANTS.broad),
    admin('reader', GRANTS.reader),
    admin('empty', GRANTS.empty),
    admin('writer', GRANTS.writer),
    client('c1', 'broad', GRANTS.clientBroad),
    client('c1', 'narrow', GRANTS.clientNarrow),
    client('c2', 'broad', GRANTS.clientBroad),
    client('c2', 'narrow', GRANTS.clientNarrow),
    // The Developer permission is every permission of the catalogue (README, "Dashboard users").
    user('developer', EVERYTHING),
    user('roleless', []),
  ];
}

export const PRINCIPALS: readonly PrincipalSpec[] = [
  { name: 'anonymous', kind: 'anonymous', scope: null, permissions: [] },
  { name: 'operator', kind: 'operator', scope: null, permissions: [] },
  ...TENANTS.flatMap(tenantPrincipals),
];

/** What a row aims at. `ref` names the world's object; a missing target names nothing that exists. */
export interface TargetSpec {
  label: string;
  ref: string | null;
  scope: Scope | null;
  missing?: boolean;
  /** The caller's own key (none for callers that are not keys: then the request names a key that does not exist). */
  self?: boolean;
  /** Sent as it is, instead of naming an object (e.g. a string that is not a key at all). */
  literal?: string;
  /** For keys: what kind of key it is, which decides the rules that apply to it. */
  keyKind?: 'admin' | 'client' | 'primary';
}

export const SELF: TargetSpec = { label: 'its own key', ref: null, scope: null, self: true };
export const NO_TARGET: TargetSpec = { label: 'no target', ref: null, scope: null };
export const MISSING: TargetSpec = { label: 'nothing (does not exist)', ref: null, scope: null, missing: true };

const perTenant = (make: (tenant: Tenant) => TargetSpec[]): TargetSpec[] => [...TENANTS.flatMap(make), MISSING];

export const KEY_TARGETS = perTenant((t) => [
  { label: `${t}.admin key`, ref: `${t}.admin`, scope: { tenant: t, client: null }, keyKind: 'admin' },
  { label: `${t}.c1 key`, ref: `${t}.c1`, scope: { tenant: t, client: 'c1' }, keyKind: 'client' },
  { label: `${t}.primary key`, ref: `${t}.primary`, scope: { tenant: t, client: null }, keyKind: 'primary' },
]);
export const CLIENT_TARGETS = perTenant((t) => [{ label: `${t}.c1 client`, ref: `${t}.c1`, scope: { tenant: t, client: 'c1' } }]);
export const LEAD_TARGETS = perTenant((t) => [
  { label: `${t} account lead`, ref: `${t}.acct`, scope: { tenant: t, client: null } },
  { label: `${t}.c1 lead`, ref: `${t}.c1`, scope: { tenant: t, client: 'c1' } },
]);
export const WEBHOOK_TARGETS = perTenant((t) => [{ label: `${t} webhook endpoint`, ref: `${t}.hook`, scope: { tenant: t, client: null } }]);
export const DELIVERY_TARGETS = perTenant((t) => [
  { label: `${t} webhook delivery`, ref: `${t}.delivery`, scope: { tenant: t, client: null } },
]);
export const ACCOUNT_TARGETS = perTenant((t) => [{ label: `account ${t}`, ref: t, scope: { tenant: t, client: null } }]);
/** List filters: none (everything in scope), one naming an object of a scope, one naming nothing. */
export const FILTER_TARGETS = [
  { ...NO_TARGET, label: 'no filter' },
  ...CLIENT_TARGETS.map((t) => ({ ...t, label: `filter on ${t.label}` })),
];

export type Rule =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'operator' }
  | { kind: 'permission'; permission: PermissionName; operatorToo?: boolean };

export const PUBLIC: Rule = { kind: 'public' };
export const AUTHENTICATED: Rule = { kind: 'authenticated' };
export const OPERATOR_ONLY: Rule = { kind: 'operator' };
export const needs = (permission: PermissionName, operatorToo = false): Rule => ({ kind: 'permission', permission, operatorToo });

export type DenialCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';

/**
 * - ok: the operation does its work;
 * - hidden: it answers as if nothing were there (null, an empty list, a NOT_FOUND verification);
 * - denied: an error with this code, caused by the field's rule (gate), by the
 *   object being out of the caller's scope (scope), or by a rule about the
 *   object itself, which only callers who may see it can learn (rule).
 */
export type Expected = { kind: 'ok' } | { kind: 'hidden' } | { kind: 'denied'; code: DenialCode; cause: 'gate' | 'scope' | 'rule' };

export const OK: Expected = { kind: 'ok' };
export const HIDDEN: Expected = { kind: 'hidden' };
export const notFound: Expected = { kind: 'denied', code: 'NOT_FOUND', cause: 'scope' };
export const forbiddenByRule: Expected = { kind: 'denied', code: 'FORBIDDEN', cause: 'rule' };

export function describeExpected(expected: Expected): string {
  return expected.kind === 'denied' ? `${expected.code} (${expected.cause})` : expected.kind;
}

/** The field's declared rule, applied to a caller: null when the caller gets through. */
export function gate(p: PrincipalSpec, rule: Rule): Expected | null {
  if (rule.kind === 'public') return null;
  if (p.kind === 'anonymous') return { kind: 'denied', code: 'UNAUTHENTICATED', cause: 'gate' };
  const forbidden: Expected = { kind: 'denied', code: 'FORBIDDEN', cause: 'gate' };
  if (rule.kind === 'operator') return p.kind === 'operator' ? null : forbidden;
  if (rule.kind === 'permission') {
    if (p.kind === 'operator') return rule.operatorToo ? null : forbidden;
    if (!holdsPermission(p, rule.permission)) return forbidden;
  }
  return null;
}

/** Whether an object is in the caller's reach: its own account, and for a client key its own client. */
export function sees(p: PrincipalSpec, scope: Scope): boolean {
  if (!p.scope) return false;
  return p.scope.tenant === scope.tenant && (p.scope.client === null || p.scope.client === scope.client);
}

/** What holding a permission brings with it, as src/shared/permission.ts says: keys:write includes keys:read. */
const IMPLIES: Partial<Record<PermissionName, readonly PermissionName[]>> = {
  KEYS_WRITE: ['KEYS_READ'],
  WEBHOOKS_WRITE: ['WEBHOOKS_READ'],
};

export const holdsPermission = (p: PrincipalSpec, permission: PermissionName) =>
  p.permissions.includes(permission) || p.permissions.some((held) => IMPLIES[held]?.includes(permission));

/** Everything the caller may do, in catalogue order: what viewer.permissions shows. */
export const heldWithImplied = (p: PrincipalSpec): PermissionName[] => EVERYTHING.filter((x) => holdsPermission(p, x));

export const holdsAll = (p: PrincipalSpec, permissions: readonly PermissionName[]) => permissions.every((x) => holdsPermission(p, x));

/** What each key the matrix aims at holds. */
export const KEY_HOLDS: Record<NonNullable<TargetSpec['keyKind']>, readonly PermissionName[]> = {
  admin: GRANTS.adminVictim,
  client: GRANTS.clientVictim,
  primary: EVERYTHING,
};

/**
 * One may change a key (rename, re-permission, (de)activate, revoke, delete,
 * reset) only when one holds every permission it holds: otherwise a narrow
 * key with keys:write could take over, or switch off, a stronger one.
 */
export const mayChange = (p: PrincipalSpec, t: TargetSpec) => holdsAll(p, KEY_HOLDS[t.keyKind!]);

/** Permissions a key of this kind may hold. */
export const grantableFor = (kind: 'admin' | 'client') => (kind === 'client' ? CLIENT_SCOPED : EVERYTHING);
