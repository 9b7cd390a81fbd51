import { dataOf } from '../support/graphql';
import { ObjectRecord, ObjectType } from './isolation.fixtures';
import { HIDDEN, holdsPermission, notFound, OK, PermissionName, PrincipalSpec, sees, TargetSpec } from './isolation.model';
import { RowContext } from './isolation.runner';

/** Reads: an object out of reach, or none at all, reads as nothing. */
export const seenOrHidden = (p: PrincipalSpec, t: TargetSpec) => (t.missing || (t.scope && !sees(p, t.scope)) ? HIDDEN : OK);

/** Writes: an object out of reach, or none at all, is NOT_FOUND; `rule` then applies to what the caller may see. */
export const seenOrNotFound =
  (rule?: (p: PrincipalSpec, t: TargetSpec, variant: string) => ReturnType<typeof seenOrHidden> | null) =>
  (p: PrincipalSpec, t: TargetSpec, variant: string) =>
    t.missing || (t.scope && !sees(p, t.scope)) ? notFound : (rule?.(p, t, variant) ?? OK);

export const CONNECTION = (node: string) => `totalCount pageInfo { hasNextPage } edges { node { ${node} } }`;

/**
 * A list holds only objects of this type and state that the caller may see
 * (and that the filter matches), all of those the world was built with, and
 * a totalCount that counts nothing else.
 */
export function expectExactlyVisible(
  ctx: RowContext,
  type: ObjectType,
  state: ObjectRecord['state'],
  matches: (record: ObjectRecord) => boolean = () => true,
): void {
  const { world, p } = ctx;
  const field = Object.keys(ctx.res.data)[0];
  const connection = dataOf(ctx.res)[field];
  const ids: string[] = connection.edges.map((e: { node: { id: string } }) => e.node.id);
  const fits = (r: ObjectRecord | undefined) => !!r && r.state === state && !!r.scope && sees(p, r.scope) && matches(r);
  expect(ids.filter((id) => !fits(world.lookup(type, id)))).toEqual([]);
  const fixtures = [...world.registry.values()].filter((r) => r.type === type && r.fixture && fits(r)).map((r) => r.id);
  expect(fixtures.length).toBeGreaterThan(0);
  expect(ids).toEqual(expect.arrayContaining(fixtures));
  expect([connection.totalCount, connection.pageInfo.hasNextPage]).toEqual([ids.length, false]);
}

interface AuditNode {
  targetType: 'API_KEY' | 'CLIENT' | 'ACCOUNT' | 'WEBHOOK_ENDPOINT';
  targetId: string;
  targetPrefix: string | null;
}

/** Every event is about an object the caller may see; a client key sees nothing of the account's own. */
export function expectVisibleEvents(ctx: RowContext): AuditNode[] {
  const { world, p } = ctx;
  const events: AuditNode[] = dataOf(ctx.res).auditEvents.edges.map((e: { node: AuditNode }) => e.node);
  const types = { API_KEY: 'key', CLIENT: 'client', ACCOUNT: 'account', WEBHOOK_ENDPOINT: 'webhook' } as const;
  const visible = (e: AuditNode) => {
    const target = world.lookup(types[e.targetType], e.targetId);
    if (!target?.scope) return false;
    return e.targetType === 'ACCOUNT' ? target.scope.tenant === p.scope?.tenant && p.scope.client === null : sees(p, target.scope);
  };
  expect(events.filter((e) => !visible(e))).toEqual([]);
  expect(events.length).toBeGreaterThan(0);
  return events;
}

/** The permissions a row asks a key to hold: what the caller holds of what the kind may hold, or one more. */
export function requested(p: PrincipalSpec, grantable: readonly string[], variant: string): string[] {
  const within = grantable.filter((x) => holdsPermission(p, x as PermissionName));
  if (variant !== 'beyond') return within;
  return [...within, grantable.find((x) => !within.includes(x))!];
}
