import { randomInt } from 'node:crypto';
import { dataOf, graphql, GraphQLResponse } from '../support/graphql';
import { SeedTarget } from '../support/seed';
import { userToken } from '../support/user-tokens';
import { GRANTS, PermissionName, PRINCIPALS, PrincipalSpec, Scope, sees, Slot, Tenant, TENANTS } from './isolation.model';

/**
 * The world every isolation row runs in, built once per test file through
 * the public API only: two accounts (A, B), each with two clients, the
 * principals of isolation.model.ts, victim keys for rows to aim at, revoked
 * keys, leads and the audit events all of that wrote. Every name, email and
 * user subject carries a marker of the scope it belongs to, so a response can
 * be scanned for anything of a scope its caller must not reach.
 */

export type ObjectType = 'key' | 'client' | 'lead' | 'account' | 'webhook' | 'delivery';

export interface ObjectRecord {
  type: ObjectType;
  id: string;
  /** Null for accounts made by the createAccount rows: no tenant principal may see them. */
  scope: Scope | null;
  state: 'live' | 'revoked' | 'deleted';
  /** Made while building the world: lists must show it to everyone who may see it. */
  fixture: boolean;
  /** Keys: every prefix the key has had (a reset draws a new one). */
  prefixes: string[];
  secret?: string;
  name?: string;
  email?: string;
  /** Deliveries: the endpoint they belong to. */
  endpointId?: string;
}

const KEY_RESULT = 'secret apiKey { id prefix }';
/** What a refused change must leave as it was (not lastUsedAt, which every request of a key moves). */
const READ: Record<ObjectType, string> = {
  key: 'id name status prefix permissions expiresAt isPrimary client { id }',
  client: 'id name',
  lead: 'id email name company client { id }',
  account: 'id name rateLimitPerMinute developerApiEnabled',
  webhook: 'id url events description',
  // Not attempts or status: the dispatcher moves those by itself (every attempt to WEBHOOK_URL is refused).
  delivery: 'id endpointId eventId eventType',
};
/** Where the world's webhook endpoints point: a closed port on this machine, so each attempt fails at once and nothing leaves it. */
const WEBHOOK_URL = 'http://127.0.0.1:9/hooks';
const MARKER_LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** Account plan limit: the matrix sends thousands of requests a minute from each pool. */
export const PLAN_LIMIT = 1_000_000;

/** Lower-case (emails are stored lower-cased) and long enough never to occur by chance in a random key. */
function marker(): string {
  return `q${Array.from({ length: 9 }, () => MARKER_LETTERS[randomInt(26)]).join('')}`;
}

/** The platform's own id the world gives each fixture client, from its (unique) name. */
export const externalIdOf = (name: string) => `ext-${name.replace(/[^\x21-\x7e]/g, '_')}`;

export class World {
  readonly markers = new Map<string, string>();
  readonly accounts = new Map<Tenant, ObjectRecord>();
  readonly clients = new Map<string, ObjectRecord>();
  readonly keys = new Map<string, ObjectRecord>();
  readonly leads = new Map<string, ObjectRecord>();
  readonly webhooks = new Map<string, ObjectRecord>();
  readonly deliveries = new Map<string, ObjectRecord>();
  readonly registry = new Map<string, ObjectRecord>();
  /** The objects rows aim at, as their owner saw them after the world was built. */
  readonly snapshots = new Map<string, unknown>();
  private readonly credentials = new Map<string, string | undefined>();
  private counter = 0;

  private constructor(readonly server: SeedTarget) {}

  /** On a server that accepts the tenants' user tokens (TEST_JWT_SECRET); the server is the caller's to stop. */
  static async build(server: SeedTarget): Promise<World> {
    const world = new World(server);
    world.credentials.set('anonymous', undefined);
    world.credentials.set('operator', world.server.operatorToken);
    // The tenants share nothing, so they are built side by side.
    await Promise.all(TENANTS.map((tenant) => world.buildTenant(tenant)));
    // A well-formed key that no longer exists: what a foreign key must look like to verifyApiKey.
    const gone = await world.createKey(
      { tenant: 'A', client: null },
      { name: `deleted ${world.marker('A', null)}`, permissions: [] },
      'A.deleted',
    );
    await world.discard(gone);
    const live = [...world.registry.values()].filter((record) => record.fixture && record.state === 'live');
    await Promise.all(live.map((record) => world.snapshot(record)));
    return world;
  }

  /** The marker every name in a scope carries: `acct` for the account's own name and its users. */
  marker(tenant: Tenant, client: Slot | null | 'acct'): string {
    return this.markers.get(`${tenant}.${client ?? '0'}`)!;
  }

  call(principal: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
    if (!this.credentials.has(principal)) throw new Error(`unknown principal ${principal}`);
    return graphql(this.server.url, { as: this.credentials.get(principal), query, variables });
  }

  /** As the tenant's primary key: how rows set up and inspect objects. */
  async asOwner(tenant: Tenant, query: string, variables?: Record<string, unknown>): Promise<any> {
    return dataOf(await this.call(`${tenant}.primary`, query, variables));
  }

  clientId(scope: Scope): string | null {
    if (scope.client === null) return null;
    return scope.client.startsWith('#') ? scope.client.slice(1) : this.clients.get(`${scope.tenant}.${scope.client}`)!.id;
  }

  register(record: ObjectRecord): ObjectRecord {
    this.registry.set(`${record.type}:${record.id}`, record);
    return record;
  }

  lookup(type: ObjectType, id: string): ObjectRecord | undefined {
    return this.registry.get(`${type}:${id}`);
  }

  nextName(what: string): string {
    return `${what} ${++this.counter}`;
  }

  async createKey(scope: Scope, input: { name: string; permissions: readonly PermissionName[] }, ref?: string): Promise<ObjectRecord> {
    const { secret, apiKey } = (
      await this.asOwner(scope.tenant, `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ${KEY_RESULT} } }`, {
        input: { ...input, clientId: this.clientId(scope) },
      })
    ).createApiKey;
    const record = this.register({ type: 'key', id: apiKey.id, scope, state: 'live', fixture: !!ref, prefixes: [apiKey.prefix], secret });
    if (ref) this.keys.set(ref, record);
    return record;
  }

  /** A key shaped like a victim, for a row that is expected to change or destroy it. */
  throwawayKey(tenant: Tenant, kind: 'admin' | 'client'): Promise<ObjectRecord> {
    const scope = { tenant, client: kind === 'client' ? 'c1' : null };
    const permissions = kind === 'client' ? GRANTS.clientVictim : GRANTS.adminVictim;
    return this.createKey(scope, { name: this.nextName('throwaway'), permissions });
  }

  async throwawayClient(tenant: Tenant): Promise<ObjectRecord> {
    const { createClient } = await this.asOwner(tenant, 'mutation($name: String!) { createClient(input: { name: $name }) { id } }', {
      name: this.nextName('throwaway'),
    });
    const scope = { tenant, client: `#${createClient.id}` };
    return this.register({ type: 'client', id: createClient.id, scope, state: 'live', fixture: false, prefixes: [] });
  }

  async createLead(scope: Scope, ref?: string): Promise<ObjectRecord> {
    const mark = ref ? this.marker(scope.tenant, scope.client as Slot | null) : 'x';
    const email = `lead${++this.counter}${mark}@example.test`;
    const input = { email, name: `Lead ${mark}`, company: `Company ${mark}`, clientId: this.clientId(scope) };
    const { createLead } = await this.asOwner(scope.tenant, 'mutation($input: CreateLeadInput!) { createLead(input: $input) { id } }', {
      input,
    });
    const record = this.register({ type: 'lead', id: createLead.id, scope, state: 'live', fixture: !!ref, prefixes: [], email });
    if (ref) this.leads.set(ref, record);
    return record;
  }

  /** An endpoint of the tenant's for client.created events; `ref` names a fixture. */
  async createWebhook(tenant: Tenant, ref?: string): Promise<ObjectRecord> {
    const url = `${WEBHOOK_URL}-${ref ? this.marker(tenant, 'acct') : 'x'}`;
    const { createWebhookEndpoint } = await this.asOwner(
      tenant,
      'mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }',
      { input: { url, events: ['CLIENT_CREATED'], description: ref ? `Hook ${this.marker(tenant, 'acct')}` : 'throwaway' } },
    );
    const scope = { tenant, client: null };
    const record = this.register({
      type: 'webhook',
      id: createWebhookEndpoint.endpoint.id,
      scope,
      state: 'live',
      fixture: !!ref,
      prefixes: [],
    });
    if (ref) this.webhooks.set(ref, record);
    return record;
  }

  throwawayWebhook(tenant: Tenant): Promise<ObjectRecord> {
    return this.createWebhook(tenant);
  }

  /** Removes what a row left behind (keys count against the 25-key limits); a no-op for what is already gone. */
  async discard(record: ObjectRecord): Promise<void> {
    if (record.state !== 'live' || !record.scope) return;
    const mutations: Partial<Record<ObjectType, string>> = { key: 'deleteApiKey', lead: 'deleteLead', webhook: 'deleteWebhookEndpoint' };
    const mutation = mutations[record.type];
    if (!mutation) return;
    await this.asOwner(record.scope.tenant, `mutation($id: ID!) { ${mutation}(id: $id) }`, { id: record.id });
    record.state = 'deleted';
  }

  /** The object as its owner sees it now; null once it is gone. */
  async read(record: ObjectRecord): Promise<unknown> {
    if (record.type === 'account') {
      const { accounts } = dataOf(await this.call('operator', `{ accounts(first: 100) { edges { node { ${READ.account} } } } }`));
      return accounts.edges.map((e: { node: { id: string } }) => e.node).find((n: { id: string }) => n.id === record.id) ?? null;
    }
    if (record.type === 'webhook') {
      const { webhookEndpoints } = await this.asOwner(record.scope!.tenant, `{ webhookEndpoints { ${READ.webhook} } }`);
      return webhookEndpoints.find((e: { id: string }) => e.id === record.id) ?? null;
    }
    if (record.type === 'delivery') {
      const { webhookDeliveries } = await this.asOwner(
        record.scope!.tenant,
        `query($id: ID!) { webhookDeliveries(endpointId: $id, first: 100) { edges { node { ${READ.delivery} } } } }`,
        { id: record.endpointId },
      );
      return webhookDeliveries.edges.map((e: { node: { id: string } }) => e.node).find((n: { id: string }) => n.id === record.id) ?? null;
    }
    const field = record.type === 'key' ? 'apiKey' : record.type;
    const data = await this.asOwner(record.scope!.tenant, `query($id: ID!) { ${field}(id: $id) { ${READ[record.type]} } }`, {
      id: record.id,
    });
    return data[field];
  }

  async snapshot(record: ObjectRecord): Promise<void> {
    this.snapshots.set(`${record.type}:${record.id}`, await this.read(record));
  }

  /** After a refused change: the object is exactly as it was. */
  async expectUnchanged(record: ObjectRecord): Promise<void> {
    expect(await this.read(record)).toEqual(this.snapshots.get(`${record.type}:${record.id}`));
  }

  /** After a reset of a principal's own key: the principal goes on with the new value. */
  rotated(record: ObjectRecord, secret: string, prefix: string): void {
    record.secret = secret;
    record.prefixes.push(prefix);
    for (const [name, key] of this.keys) if (key === record && this.credentials.has(name)) this.credentials.set(name, secret);
  }

  /** What a caller must never see, and whose it is: other scopes' markers and key prefixes (a client key sees other actors only as "account"). */
  foreignTo(p: PrincipalSpec): Array<{ text: string; whose: string }> {
    if (p.kind === 'operator') return [];
    const foreign: Array<{ text: string; whose: string }> = [];
    for (const [scope, mark] of this.markers) {
      const [tenant, part] = scope.split('.') as [Tenant, string];
      const readable = part === 'acct' ? p.scope?.tenant === tenant : sees(p, { tenant, client: part === '0' ? null : part });
      if (!readable) foreign.push({ text: mark, whose: `a name in ${scope}` });
    }
    for (const record of this.registry.values()) {
      if (record.type !== 'key' || !record.scope) continue;
      const whose = `key ${record.id} of ${record.scope.tenant}.${record.scope.client ?? 'account'}`;
      if (!sees(p, record.scope)) foreign.push(...record.prefixes.map((text) => ({ text, whose })));
    }
    return foreign;
  }

  private async buildTenant(tenant: Tenant): Promise<void> {
    for (const part of ['acct', '0', 'c1', 'c2']) this.markers.set(`${tenant}.${part}`, marker());
    const mark = (slot: Slot | null) => this.marker(tenant, slot);
    const created = dataOf(
      await this.call(
        'operator',
        `mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id name } primaryKey { ${KEY_RESULT} } } }`,
        { input: { name: `Tenant ${this.marker(tenant, 'acct')}`, rateLimitPerMinute: PLAN_LIMIT } },
      ),
    ).createAccount;
    const account = { ...created.account, scope: { tenant, client: null }, state: 'live', fixture: true, prefixes: [] } as const;
    this.accounts.set(tenant, this.register({ type: 'account', ...account }));
    const primary = created.primaryKey;
    this.keys.set(
      `${tenant}.primary`,
      this.register({
        type: 'key',
        id: primary.apiKey.id,
        scope: { tenant, client: null },
        state: 'live',
        fixture: true,
        prefixes: [primary.apiKey.prefix],
        secret: primary.secret,
      }),
    );
    this.credentials.set(`${tenant}.primary`, primary.secret);

    // Before the clients, so that their creation leaves the endpoint a delivery each.
    const hook = await this.createWebhook(tenant, `${tenant}.hook`);

    const accountId = created.account.id;
    const sub = (who: string) => `${who}-${this.marker(tenant, 'acct')}`;
    this.credentials.set(`${tenant}.developer`, await userToken({ sub: sub('dev'), account_id: accountId, roles: ['developer'] }));
    this.credentials.set(`${tenant}.roleless`, await userToken({ sub: sub('nobody'), account_id: accountId }));

    // c2 is made by the developer, so the audit log holds a user's actions too.
    for (const [slot, by] of [
      ['c1', `${tenant}.primary`],
      ['c2', `${tenant}.developer`],
    ] as const) {
      const name = `Client ${mark(slot)}`;
      const res = await this.call(
        by,
        'mutation($name: String!, $externalId: String) { createClient(input: { name: $name, externalId: $externalId }) { id name } }',
        { name, externalId: externalIdOf(name) },
      );
      const client = { ...dataOf(res).createClient, scope: { tenant, client: slot }, state: 'live', fixture: true, prefixes: [] } as const;
      this.clients.set(`${tenant}.${slot}`, this.register({ type: 'client', ...client }));
    }

    for (const spec of PRINCIPALS.filter((p) => p.scope?.tenant === tenant && p.kind.endsWith('key') && !p.name.endsWith('primary'))) {
      const scope = { tenant, client: spec.scope!.client };
      const key = await this.createKey(
        scope,
        { name: `${spec.name.split('.').pop()} ${mark(scope.client)}`, permissions: spec.permissions },
        spec.name,
      );
      this.credentials.set(spec.name, key.secret);
    }

    await this.createKey({ tenant, client: null }, { name: `victim ${mark(null)}`, permissions: GRANTS.adminVictim }, `${tenant}.admin`);
    await this.createKey({ tenant, client: 'c1' }, { name: `victim ${mark('c1')}`, permissions: GRANTS.clientVictim }, `${tenant}.c1`);
    for (const slot of [null, 'c1', 'c2'] as const) {
      const key = await this.createKey(
        { tenant, client: slot },
        { name: `revoked ${mark(slot)}`, permissions: ['LEADS_READ'] },
        `${tenant}.revoked.${slot ?? 'acct'}`,
      );
      await this.asOwner(tenant, 'mutation($id: ID!, $reason: String) { revokeApiKey(id: $id, reason: $reason) { id } }', {
        id: key.id,
        reason: `leaked ${mark(slot)}`,
      });
      key.state = 'revoked';
    }
    for (const slot of [null, 'c1', 'c2'] as const) await this.createLead({ tenant, client: slot }, `${tenant}.${slot ?? 'acct'}`);

    const { webhookDeliveries } = await this.asOwner(
      tenant,
      'query($id: ID!) { webhookDeliveries(endpointId: $id) { edges { node { id } } } }',
      {
        id: hook.id,
      },
    );
    const [delivery] = webhookDeliveries.edges.map((e: { node: { id: string } }) => e.node.id);
    const scope = { tenant, client: null };
    const record: ObjectRecord = { type: 'delivery', id: delivery, scope, state: 'live', fixture: true, prefixes: [], endpointId: hook.id };
    this.deliveries.set(`${tenant}.delivery`, this.register(record));
  }
}
