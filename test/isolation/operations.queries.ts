import { dataOf } from '../support/graphql';
import { externalIdOf, ObjectRecord } from './isolation.fixtures';
import {
  AUTHENTICATED,
  CLIENT_TARGETS,
  EVERYTHING,
  FILTER_TARGETS,
  forbiddenByRule,
  heldWithImplied,
  HIDDEN,
  KEY_TARGETS,
  LEAD_TARGETS,
  needs,
  NO_TARGET,
  OK,
  OPERATOR_ONLY,
  PUBLIC,
  TargetSpec,
  TENANTS,
} from './isolation.model';
import { OperationSpec } from './isolation.runner';
import { CONNECTION, expectExactlyVisible, expectVisibleEvents, seenOrHidden } from './operations.checks';

const KEY = 'id name prefix client { id name }';
const clientOf = (r: ObjectRecord) => r.scope?.client ?? null;
/** A list filtered on a client: the whole scope without a filter, nothing for a client out of reach. */
const filtered = (value: string | null) => (value === null ? {} : { filter: { clientId: value } });
const inClient =
  (ctx: { world: { clientId: (s: NonNullable<ObjectRecord['scope']>) => string | null }; value: string | null }) => (r: ObjectRecord) =>
    ctx.value === null || ctx.world.clientId(r.scope!) === ctx.value;

/** verifyApiKey's keys: live ones, revoked ones, a deleted one (missing) and a string that is not a key. */
const RAW_KEY_TARGETS: TargetSpec[] = [
  ...TENANTS.flatMap((t): TargetSpec[] => [
    { label: `${t}.admin key`, ref: `${t}.admin`, scope: { tenant: t, client: null } },
    { label: `${t}.c1 key`, ref: `${t}.c1`, scope: { tenant: t, client: 'c1' } },
    { label: `${t} revoked key`, ref: `${t}.revoked.acct`, scope: { tenant: t, client: null } },
  ]),
  { label: 'a deleted key', ref: null, scope: null, missing: true },
  { label: 'a string that is not a key', ref: null, scope: null, missing: true, literal: 'not-a-key' },
];
const REFUSED = {
  valid: false,
  code: 'NOT_FOUND',
  prefix: null,
  kind: null,
  account: null,
  client: null,
  permissions: null,
  expiresAt: null,
  rateLimit: null,
};

export const QUERIES: OperationSpec[] = [
  {
    root: 'Query',
    field: 'viewer',
    rule: PUBLIC,
    targets: [NO_TARGET],
    expect: () => OK,
    document: '{ viewer { principal prefix subject permissions account { id name } client { id name } apiKey { id prefix } } }',
    variables: () => ({}),
    verify: ({ world, p, res }) => {
      const kinds = { anonymous: 'ANONYMOUS', operator: 'OPERATOR', 'admin-key': 'ADMIN_KEY', 'client-key': 'CLIENT_KEY', user: 'USER' };
      expect(res.data.viewer).toMatchObject({ principal: kinds[p.kind], permissions: heldWithImplied(p) });
      if (p.kind === 'anonymous') {
        // Public itself; what it would say about an account is not.
        const paths = res.errors?.map((e) => [e.extensions?.code, e.path?.join('.')]);
        expect(paths).toEqual(['account', 'client', 'apiKey'].map((f) => ['UNAUTHENTICATED', `viewer.${f}`]));
        return;
      }
      const viewer = dataOf(res).viewer;
      const key = world.keys.get(p.name);
      expect(viewer.account?.id ?? null).toBe(p.scope ? world.accounts.get(p.scope.tenant)!.id : null);
      expect(viewer.client?.id ?? null).toBe(p.scope?.client ? world.clients.get(`${p.scope.tenant}.${p.scope.client}`)!.id : null);
      expect([viewer.apiKey?.id ?? null, viewer.prefix]).toEqual(key ? [key.id, key.prefixes.at(-1)] : [null, null]);
    },
  },
  {
    root: 'Query',
    field: 'permissions',
    rule: PUBLIC,
    targets: [NO_TARGET],
    expect: () => OK,
    document: '{ permissions { permission name clientScoped } }',
    variables: () => ({}),
    verify: ({ res }) => expect(dataOf(res).permissions.map((x: { permission: string }) => x.permission)).toEqual(EVERYTHING),
  },
  {
    root: 'Query',
    field: 'scopes',
    rule: PUBLIC,
    targets: [NO_TARGET],
    expect: () => OK,
    document: '{ scopes { name description clientAssignable } }',
    variables: () => ({}),
    verify: ({ res }) => expect(Array.isArray(dataOf(res).scopes)).toBe(true),
  },
  {
    root: 'Query',
    field: 'account',
    rule: AUTHENTICATED,
    targets: [NO_TARGET],
    // The operator works on accounts, never inside one.
    expect: (p) => (p.kind === 'operator' ? forbiddenByRule : OK),
    document: '{ account { id name rateLimitPerMinute developerApiEnabled } }',
    variables: () => ({}),
    verify: ({ world, p, res }) => expect(dataOf(res).account).toMatchObject({ id: world.accounts.get(p.scope!.tenant)!.id }),
  },
  {
    root: 'Query',
    field: 'accounts',
    rule: OPERATOR_ONLY,
    targets: [NO_TARGET],
    expect: () => OK,
    document: `{ accounts(first: 100) { ${CONNECTION('id name')} } }`,
    variables: () => ({}),
    verify: ({ world, res }) => {
      const ids = dataOf(res).accounts.edges.map((e: { node: { id: string } }) => e.node.id);
      expect(ids).toEqual(expect.arrayContaining(TENANTS.map((t) => world.accounts.get(t)!.id)));
    },
  },
  {
    root: 'Query',
    field: 'apiKeys',
    rule: needs('KEYS_READ'),
    targets: FILTER_TARGETS,
    objects: 'clients',
    expect: seenOrHidden,
    document: `query($filter: ApiKeyFilter) { apiKeys(filter: $filter, first: 100) { ${CONNECTION(KEY)} } }`,
    variables: (_w, _p, _t, _v, value) => filtered(value),
    verify: (ctx) => expectExactlyVisible(ctx, 'key', 'live', inClient(ctx)),
  },
  {
    root: 'Query',
    field: 'apiKey',
    rule: needs('KEYS_READ'),
    targets: KEY_TARGETS,
    objects: 'keys',
    expect: seenOrHidden,
    document: `query($id: ID!) { apiKey(id: $id) { ${KEY} } }`,
    variables: (_w, _p, _t, _v, id) => ({ id }),
    verify: ({ res, object }) => expect(dataOf(res).apiKey).toMatchObject({ id: object!.id, prefix: object!.prefixes.at(-1) }),
  },
  {
    root: 'Query',
    field: 'revokedKeys',
    rule: needs('KEYS_READ'),
    targets: FILTER_TARGETS,
    objects: 'clients',
    expect: seenOrHidden,
    document: `query($filter: RevokedKeyFilter) { revokedKeys(filter: $filter, first: 100) {
      ${CONNECTION('id name prefix revokedBy reason client { id }')} } }`,
    variables: (_w, _p, _t, _v, value) => filtered(value),
    verify: (ctx) => expectExactlyVisible(ctx, 'key', 'revoked', inClient(ctx)),
  },
  {
    root: 'Query',
    field: 'auditEvents',
    rule: needs('AUDIT_READ'),
    targets: [
      { ...NO_TARGET, label: 'no filter' },
      ...KEY_TARGETS.filter((t) => t.keyKind !== 'primary').map((t) => ({ ...t, label: `filter on ${t.label}'s prefix` })),
    ],
    objects: 'keys',
    nameOf: (key) => key.prefixes[0],
    missingValue: () => 'sk_00000000',
    expect: seenOrHidden,
    document: `query($filter: AuditEventFilter) { auditEvents(filter: $filter, first: 100) {
      ${CONNECTION('id actor action targetType targetId targetPrefix targetName details ip userAgent')} } }`,
    variables: (_w, _p, _t, _v, prefix) => (prefix === null ? {} : { filter: { targetPrefix: prefix } }),
    verify: (ctx) => {
      const events = expectVisibleEvents(ctx);
      if (ctx.value !== null) expect(events.filter((e) => e.targetPrefix !== ctx.value)).toEqual([]);
    },
  },
  {
    root: 'Query',
    field: 'clients',
    rule: needs('CLIENTS_READ'),
    targets: FILTER_TARGETS,
    objects: 'clients',
    nameOf: (client) => client.name!,
    missingValue: () => 'no client is named like this',
    expect: seenOrHidden,
    document: `query($filter: ClientFilter) { clients(filter: $filter, first: 100) { ${CONNECTION('id name apiKeys { id prefix }')} } }`,
    variables: (_w, _p, _t, _v, name) => (name === null ? {} : { filter: { name } }),
    verify: (ctx) => expectExactlyVisible(ctx, 'client', 'live', (r) => ctx.object === null || r === ctx.object),
  },
  {
    root: 'Query',
    field: 'client',
    rule: needs('CLIENTS_READ'),
    targets: CLIENT_TARGETS,
    objects: 'clients',
    expect: seenOrHidden,
    document: 'query($id: ID!) { client(id: $id) { id name apiKeys { id prefix client { id } } } }',
    variables: (_w, _p, _t, _v, id) => ({ id }),
    verify: ({ world, res, object }) => {
      const client = dataOf(res).client;
      expect(client).toMatchObject({ id: object!.id, name: object!.name });
      const strays = client.apiKeys.filter((k: { id: string }) => clientOf(world.lookup('key', k.id)!) !== object!.scope!.client);
      expect(strays).toEqual([]);
    },
  },
  {
    root: 'Query',
    field: 'clientByExternalId',
    rule: needs('CLIENTS_READ'),
    targets: CLIENT_TARGETS,
    objects: 'clients',
    nameOf: (client) => externalIdOf(client.name!),
    missingValue: () => 'ext-no-such-client',
    expect: seenOrHidden,
    document: 'query($externalId: String!) { clientByExternalId(externalId: $externalId) { id name externalId } }',
    variables: (_w, _p, _t, _v, externalId) => ({ externalId }),
    verify: ({ res, object }) =>
      expect(dataOf(res).clientByExternalId).toEqual({ id: object!.id, name: object!.name, externalId: externalIdOf(object!.name!) }),
  },
  {
    root: 'Query',
    field: 'verifyApiKey',
    rule: needs('KEYS_VERIFY', true),
    targets: RAW_KEY_TARGETS,
    objects: 'keys',
    nameOf: (key) => key.secret!,
    missingValue: (world) => world.keys.get('A.deleted')!.secret!,
    // keys:verify reaches the caller's whole account (client keys cannot hold it); the operator reaches every account.
    expect: (p, t) => (t.missing ? HIDDEN : p.kind === 'operator' || p.scope?.tenant === t.scope!.tenant ? OK : HIDDEN),
    document: `query($key: String!) { verifyApiKey(key: $key) {
      valid code prefix kind account { id name } client { id name } permissions expiresAt rateLimit { limit } } }`,
    variables: (_w, _p, _t, _v, key) => ({ key }),
    hidden: (res) => expect({ errors: res.errors, data: res.data }).toEqual({ errors: undefined, data: { verifyApiKey: REFUSED } }),
    verify: ({ world, res, object }) => {
      const answer = dataOf(res).verifyApiKey;
      if (object!.state === 'revoked') {
        expect(answer).toEqual({ ...REFUSED, code: 'REVOKED' });
        return;
      }
      expect(answer).toMatchObject({ valid: true, code: 'VALID', prefix: object!.prefixes.at(-1) });
      expect([answer.account.id, answer.client?.id ?? null]).toEqual([
        world.accounts.get(object!.scope!.tenant)!.id,
        world.clientId(object!.scope!),
      ]);
    },
  },
  {
    root: 'Query',
    field: 'leads',
    rule: needs('LEADS_READ'),
    targets: FILTER_TARGETS,
    objects: 'clients',
    expect: seenOrHidden,
    document: `query($filter: LeadFilter) { leads(filter: $filter, first: 100) { ${CONNECTION('id email name company client { id name }')} } }`,
    variables: (_w, _p, _t, _v, value) => filtered(value),
    verify: (ctx) => expectExactlyVisible(ctx, 'lead', 'live', inClient(ctx)),
  },
  {
    root: 'Query',
    field: 'lead',
    rule: needs('LEADS_READ'),
    targets: LEAD_TARGETS,
    objects: 'leads',
    expect: seenOrHidden,
    document: 'query($id: ID!) { lead(id: $id) { id email name company client { id name } } }',
    variables: (_w, _p, _t, _v, id) => ({ id }),
    verify: ({ res, object }) => expect(dataOf(res).lead).toMatchObject({ id: object!.id, email: object!.email }),
  },
];
