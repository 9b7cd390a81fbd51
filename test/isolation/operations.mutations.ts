import { dataOf } from '../support/graphql';
import { PLAN_LIMIT } from './isolation.fixtures';
import {
  ACCOUNT_TARGETS,
  CLIENT_TARGETS,
  forbiddenByRule,
  LEAD_TARGETS,
  needs,
  NO_TARGET,
  notFound,
  OK,
  OPERATOR_ONLY,
  TargetSpec,
} from './isolation.model';
import { OperationSpec, RowContext } from './isolation.runner';
import { seenOrNotFound } from './operations.checks';

const answer = (ctx: RowContext, field: string) => dataOf(ctx.res)[field];
const OWN_SCOPE: TargetSpec = { ...NO_TARGET, label: 'own scope (no clientId)' };
let emails = 0;

export const OTHER_MUTATIONS: OperationSpec[] = [
  {
    root: 'Mutation',
    field: 'createAccount',
    rule: OPERATOR_ONLY,
    targets: [NO_TARGET],
    expect: () => OK,
    document:
      'mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id name } primaryKey { secret apiKey { id prefix } } } }',
    variables: () => ({ input: { name: 'Another tenant' } }),
    verify: (ctx) => {
      const { account, primaryKey } = answer(ctx, 'createAccount');
      expect(account.name).toBe('Another tenant');
      // Of no tenant the matrix knows, so of no principal's reach but the operator's.
      ctx.world.register({ type: 'account', id: account.id, scope: null, state: 'live', fixture: false, prefixes: [] });
      ctx.world.register({
        type: 'key',
        id: primaryKey.apiKey.id,
        scope: null,
        state: 'live',
        fixture: false,
        prefixes: [primaryKey.apiKey.prefix],
      });
    },
  },
  {
    root: 'Mutation',
    field: 'updateAccount',
    rule: OPERATOR_ONLY,
    targets: ACCOUNT_TARGETS,
    objects: 'accounts',
    expect: (_p, t) => (t.missing ? notFound : OK),
    // The plan limit it already has: a change that changes nothing, so the world stays as it was.
    document: 'mutation($id: ID!, $input: UpdateAccountInput!) { updateAccount(id: $id, input: $input) { id name rateLimitPerMinute } }',
    variables: (_w, _p, _t, _v, id) => ({ id, input: { rateLimitPerMinute: PLAN_LIMIT } }),
    verify: (ctx) =>
      expect(answer(ctx, 'updateAccount')).toEqual({ id: ctx.object!.id, name: ctx.object!.name, rateLimitPerMinute: PLAN_LIMIT }),
  },
  {
    root: 'Mutation',
    field: 'defineScope',
    rule: OPERATOR_ONLY,
    targets: [NO_TARGET],
    expect: () => OK,
    // The catalogue is global: every run defines the same scope again, which changes nothing.
    document:
      'mutation { defineScope(input: { name: "isolation:probe", description: "Isolation probe", clientAssignable: false }) { name clientAssignable } }',
    variables: () => ({}),
    verify: (ctx) => expect(answer(ctx, 'defineScope')).toEqual({ name: 'isolation:probe', clientAssignable: false }),
  },
  {
    root: 'Mutation',
    field: 'updateAccountSettings',
    rule: needs('KEYS_WRITE'),
    targets: [NO_TARGET],
    // The account's own settings decide for all its keys: not a client key's to change.
    expect: (p) => (p.kind === 'client-key' ? forbiddenByRule : OK),
    // The setting every account of the world has: a change that changes nothing.
    document: 'mutation { updateAccountSettings(input: { leakResponse: DEACTIVATE }) { id leakResponse } }',
    variables: () => ({}),
    verify: (ctx) =>
      expect(answer(ctx, 'updateAccountSettings')).toEqual({
        id: ctx.world.accounts.get(ctx.p.scope!.tenant)!.id,
        leakResponse: 'DEACTIVATE',
      }),
  },
  {
    root: 'Mutation',
    field: 'createClient',
    rule: needs('CLIENTS_WRITE'),
    targets: [NO_TARGET],
    expect: () => OK,
    document: 'mutation { createClient(input: { name: "created" }) { id name apiKeys { id } } }',
    variables: () => ({}),
    verify: (ctx) => {
      const client = answer(ctx, 'createClient');
      expect(client).toMatchObject({ name: 'created', apiKeys: [] });
      const scope = { tenant: ctx.p.scope!.tenant, client: `#${client.id}` };
      ctx.world.register({ type: 'client', id: client.id, scope, state: 'live', fixture: false, prefixes: [] });
    },
  },
  {
    root: 'Mutation',
    field: 'renameClient',
    rule: needs('CLIENTS_WRITE'),
    targets: CLIENT_TARGETS,
    objects: 'clients',
    expect: seenOrNotFound(),
    document: 'mutation($id: ID!, $name: String!) { renameClient(id: $id, name: $name) { id name } }',
    variables: (_w, _p, _t, _v, id) => ({ id, name: 'renamed' }),
    throwaway: (world, t) => world.throwawayClient(t.scope!.tenant),
    verify: (ctx) => expect(answer(ctx, 'renameClient')).toEqual({ id: ctx.object!.id, name: 'renamed' }),
  },
  {
    root: 'Mutation',
    field: 'updateClient',
    rule: needs('CLIENTS_WRITE'),
    targets: CLIENT_TARGETS,
    objects: 'clients',
    expect: seenOrNotFound(),
    document: 'mutation($id: ID!, $input: UpdateClientInput!) { updateClient(id: $id, input: $input) { id name externalId } }',
    variables: (_w, _p, _t, _v, id) => ({ id, input: { name: 'updated', externalId: `moved-${id}` } }),
    throwaway: (world, t) => world.throwawayClient(t.scope!.tenant),
    verify: (ctx) =>
      expect(answer(ctx, 'updateClient')).toEqual({ id: ctx.object!.id, name: 'updated', externalId: `moved-${ctx.object!.id}` }),
  },
  {
    root: 'Mutation',
    field: 'createLead',
    rule: needs('LEADS_CREATE'),
    targets: [OWN_SCOPE, ...CLIENT_TARGETS],
    objects: 'clients',
    expect: (p, t) => (t === OWN_SCOPE ? OK : seenOrNotFound()(p, t, '')),
    document: 'mutation($input: CreateLeadInput!) { createLead(input: $input) { id email name client { id } } }',
    // A fresh email each time: emails are unique within an account.
    variables: (_w, _p, _t, _v, clientId) => ({
      input: { email: `made${++emails}@example.test`, name: 'created', ...(clientId ? { clientId } : {}) },
    }),
    verify: (ctx) => {
      const lead = answer(ctx, 'createLead');
      // A client key's leads are its client's, named or not; an account-wide caller's are the account's unless it names a client.
      const client = ctx.target === OWN_SCOPE ? ctx.p.scope!.client : ctx.target.scope!.client;
      const scope = { tenant: ctx.p.scope!.tenant, client };
      expect(lead.client?.id ?? null).toBe(ctx.world.clientId(scope));
      ctx.made.push(ctx.world.register({ type: 'lead', id: lead.id, scope, state: 'live', fixture: false, prefixes: [] }));
    },
  },
  {
    root: 'Mutation',
    field: 'updateLead',
    rule: needs('LEADS_UPDATE'),
    targets: LEAD_TARGETS,
    objects: 'leads',
    expect: seenOrNotFound(),
    document: 'mutation($id: ID!, $input: UpdateLeadInput!) { updateLead(id: $id, input: $input) { id name } }',
    variables: (_w, _p, _t, _v, id) => ({ id, input: { name: 'updated' } }),
    throwaway: (world, t) => world.createLead(t.scope!),
    verify: (ctx) => expect(answer(ctx, 'updateLead')).toEqual({ id: ctx.object!.id, name: 'updated' }),
  },
  {
    root: 'Mutation',
    field: 'deleteLead',
    rule: needs('LEADS_DELETE'),
    targets: LEAD_TARGETS,
    objects: 'leads',
    expect: seenOrNotFound(),
    document: 'mutation($id: ID!) { deleteLead(id: $id) }',
    variables: (_w, _p, _t, _v, id) => ({ id }),
    throwaway: (world, t) => world.createLead(t.scope!),
    verify: (ctx) => {
      expect(answer(ctx, 'deleteLead')).toBe(ctx.object!.id);
      ctx.object!.state = 'deleted';
    },
  },
];
