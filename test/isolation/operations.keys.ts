import { dataOf } from '../support/graphql';
import { ObjectRecord } from './isolation.fixtures';
import {
  CLIENT_TARGETS,
  forbiddenByRule,
  gate,
  grantableFor,
  holdsAll,
  KEY_TARGETS,
  LEADS_ALL,
  mayChange,
  needs,
  NO_TARGET,
  notFound,
  OK,
  PrincipalSpec,
  SELF,
  TargetSpec,
} from './isolation.model';
import { OperationSpec, RowContext } from './isolation.runner';
import { requested, seenOrNotFound } from './operations.checks';

const KEYS_WRITE = needs('KEYS_WRITE');
const isPrimary = (t: TargetSpec) => t.keyKind === 'primary';
const kindOf = (t: TargetSpec) => (t.keyKind === 'client' ? 'client' : 'admin');
const ownKind = (p: PrincipalSpec) => (p.kind === 'client-key' ? 'client' : 'admin');

/** "beyond" (asking for one permission more than the caller holds) only where the caller gets past keys:write and lacks something. */
const withinOrBeyond = (kind: (p: PrincipalSpec, t: TargetSpec) => 'admin' | 'client') => (p: PrincipalSpec, t: TargetSpec) =>
  !gate(p, KEYS_WRITE) && !holdsAll(p, grantableFor(kind(p, t))) ? ['within', 'beyond'] : ['within'];

function keyMutation(field: string, spec: Pick<OperationSpec, 'document' | 'verify'> & Partial<OperationSpec>): OperationSpec {
  return {
    root: 'Mutation',
    field,
    rule: KEYS_WRITE,
    targets: KEY_TARGETS,
    objects: 'keys',
    expect: unlessHeld,
    variables: (_w, _p, _t, _v, id) => ({ id }),
    // The primary key cannot be copied: rows that may change it act on it, and the world follows (see World.rotated).
    throwaway: (world, t) => (isPrimary(t) ? Promise.resolve(null) : world.throwawayKey(t.scope!.tenant, kindOf(t))),
    ...spec,
  };
}

const answer = (ctx: RowContext, field: string) => dataOf(ctx.res)[field];
/** Every change of a key the caller sees: refused unless the caller holds all the key holds. */
const unlessHeld = seenOrNotFound((p, t) => (mayChange(p, t) ? null : forbiddenByRule));
const primaryIsForbidden = seenOrNotFound((p, t) => (isPrimary(t) || !mayChange(p, t) ? forbiddenByRule : null));

/** A key a row made: registered so lists and scans know it, and discarded after the row. */
function made(ctx: RowContext, key: { id: string; prefix: string }, client: string | null): void {
  const record: ObjectRecord = {
    type: 'key',
    id: key.id,
    scope: { tenant: ctx.p.scope!.tenant, client },
    state: 'live',
    fixture: false,
    prefixes: [key.prefix],
  };
  ctx.made.push(ctx.world.register(record));
}

const OWN_SCOPE: TargetSpec = { ...NO_TARGET, label: 'own scope (no clientId)' };
/** What a created key is: a client key for a client key caller or a named client, else an admin key. */
const createdKind = (p: PrincipalSpec, t: TargetSpec) => (t === OWN_SCOPE && !p.scope?.client ? 'admin' : 'client');

export const KEY_MUTATIONS: OperationSpec[] = [
  {
    root: 'Mutation',
    field: 'createApiKey',
    rule: KEYS_WRITE,
    targets: [OWN_SCOPE, ...CLIENT_TARGETS],
    objects: 'clients',
    variants: withinOrBeyond(createdKind),
    // Nobody grants what it does not hold; a client key always makes keys for its own client.
    expect: (p, t, variant) =>
      t === OWN_SCOPE
        ? variant === 'beyond'
          ? forbiddenByRule
          : OK
        : seenOrNotFound((_p, _t, v) => (v === 'beyond' ? forbiddenByRule : null))(p, t, variant),
    document:
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id prefix kind permissions client { id } } } }',
    variables: (_w, p, t, variant, clientId) => ({
      input: { name: 'created', permissions: requested(p, grantableFor(createdKind(p, t)), variant), ...(clientId ? { clientId } : {}) },
    }),
    verify: (ctx) => {
      const { apiKey } = answer(ctx, 'createApiKey');
      const client = ctx.target === OWN_SCOPE ? ctx.p.scope!.client : ctx.target.scope!.client;
      made(ctx, apiKey, client);
      expect(apiKey).toMatchObject({
        kind: client ? 'CLIENT' : 'ADMIN',
        permissions: requested(ctx.p, grantableFor(createdKind(ctx.p, ctx.target)), ctx.variant),
        client: client ? { id: ctx.world.clientId({ tenant: ctx.p.scope!.tenant, client }) } : null,
      });
    },
  },
  {
    root: 'Mutation',
    field: 'createPlaygroundKey',
    rule: KEYS_WRITE,
    targets: [NO_TARGET],
    // An admin key with keys:read and the four leads permissions: not for client keys, nor for callers without those
    // permissions (keys:read comes with keys:write, which the mutation needs).
    expect: (p) => (p.kind === 'client-key' || !holdsAll(p, LEADS_ALL) ? forbiddenByRule : OK),
    document: 'mutation { createPlaygroundKey { secret apiKey { id prefix name kind permissions } } }',
    variables: () => ({}),
    verify: (ctx) => {
      const { apiKey } = answer(ctx, 'createPlaygroundKey');
      made(ctx, apiKey, null);
      expect(apiKey).toMatchObject({ name: 'Docs playground (temp)', kind: 'ADMIN', permissions: ['KEYS_READ', ...LEADS_ALL] });
    },
  },
  keyMutation('renameApiKey', {
    document: 'mutation($id: ID!, $name: String!) { renameApiKey(id: $id, name: $name) { id name } }',
    variables: (_w, _p, _t, _v, id) => ({ id, name: 'renamed' }),
    verify: (ctx) => expect(answer(ctx, 'renameApiKey')).toEqual({ id: ctx.object!.id, name: 'renamed' }),
  }),
  keyMutation('updateApiKey', {
    document: 'mutation($id: ID!, $input: UpdateApiKeyInput!) { updateApiKey(id: $id, input: $input) { id metadata } }',
    variables: (_w, _p, _t, _v, id) => ({ id, input: { metadata: { tier: 'gold' } } }),
    verify: (ctx) => expect(answer(ctx, 'updateApiKey')).toEqual({ id: ctx.object!.id, metadata: { tier: 'gold' } }),
  }),
  keyMutation('updateApiKeyPermissions', {
    // Its own key too: the classic escalation is a key raising its own permissions.
    targets: [...KEY_TARGETS, SELF],
    variants: withinOrBeyond((p, t) => (t.self ? ownKind(p) : kindOf(t))),
    expect: (p, t, variant) => {
      const rule = (primary: boolean) => (primary || variant === 'beyond' ? forbiddenByRule : OK);
      if (!t.self)
        return seenOrNotFound((_p, _t) => (rule(isPrimary(t)) === OK && mayChange(p, t) ? null : forbiddenByRule))(p, t, variant);
      return p.kind === 'admin-key' || p.kind === 'client-key' ? rule(p.name.endsWith('.primary')) : notFound;
    },
    document:
      'mutation($id: ID!, $permissions: [Permission!]!) { updateApiKeyPermissions(id: $id, permissions: $permissions) { id permissions } }',
    variables: (_w, p, t, variant, id) => ({ id, permissions: requested(p, grantableFor(t.self ? ownKind(p) : kindOf(t)), variant) }),
    // Its own key cannot be copied; a change within what it holds changes nothing.
    throwaway: (world, t) => (t.self || isPrimary(t) ? Promise.resolve(null) : world.throwawayKey(t.scope!.tenant, kindOf(t))),
    verify: (ctx) =>
      expect(answer(ctx, 'updateApiKeyPermissions')).toEqual({
        id: ctx.object!.id,
        permissions: requested(ctx.p, grantableFor(ctx.target.self ? ownKind(ctx.p) : kindOf(ctx.target)), ctx.variant),
      }),
  }),
  keyMutation('resetApiKey', {
    // The new value carries the key's power, so only a caller that holds all of it may reset it.
    expect: unlessHeld,
    document: 'mutation($id: ID!) { resetApiKey(id: $id) { secret apiKey { id prefix } } }',
    verify: (ctx) => {
      const { secret, apiKey } = answer(ctx, 'resetApiKey');
      expect(apiKey.id).toBe(ctx.object!.id);
      expect(ctx.object!.prefixes).not.toContain(apiKey.prefix);
      expect(secret.startsWith(`${apiKey.prefix}_`)).toBe(true);
      ctx.world.rotated(ctx.object!, secret, apiKey.prefix);
    },
  }),
  keyMutation('deactivateApiKey', {
    expect: primaryIsForbidden,
    document: 'mutation($id: ID!) { deactivateApiKey(id: $id) { id status } }',
    verify: (ctx) => expect(answer(ctx, 'deactivateApiKey')).toEqual({ id: ctx.object!.id, status: 'INACTIVE' }),
  }),
  keyMutation('activateApiKey', {
    document: 'mutation($id: ID!) { activateApiKey(id: $id) { id status } }',
    throwaway: async (world, t) => {
      if (isPrimary(t)) return null;
      const key = await world.throwawayKey(t.scope!.tenant, kindOf(t));
      await world.asOwner(t.scope!.tenant, 'mutation($id: ID!) { deactivateApiKey(id: $id) { id } }', { id: key.id });
      return key;
    },
    verify: (ctx) => expect(answer(ctx, 'activateApiKey')).toEqual({ id: ctx.object!.id, status: 'ACTIVE' }),
  }),
  keyMutation('revokeApiKey', {
    expect: primaryIsForbidden,
    document: 'mutation($id: ID!) { revokeApiKey(id: $id, reason: "isolation") { id prefix reason } }',
    verify: (ctx) => {
      expect(answer(ctx, 'revokeApiKey')).toEqual({ id: ctx.object!.id, prefix: ctx.object!.prefixes.at(-1), reason: 'isolation' });
      ctx.object!.state = 'revoked';
    },
  }),
  keyMutation('deleteApiKey', {
    expect: primaryIsForbidden,
    document: 'mutation($id: ID!) { deleteApiKey(id: $id) }',
    verify: (ctx) => {
      expect(answer(ctx, 'deleteApiKey')).toBe(ctx.object!.id);
      ctx.object!.state = 'deleted';
    },
  }),
];
