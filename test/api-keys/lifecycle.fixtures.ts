import { codeOf, dataOf, GraphQLResponse } from '../support/graphql';
import { TestServerFixture } from '../support/harness';
import { KEY_FIELDS } from '../support/seed';

export const RENAME = `mutation($id: ID!, $name: String!) { renameApiKey(id: $id, name: $name) { ${KEY_FIELDS} } }`;
export const UPDATE_PERMISSIONS = `mutation($id: ID!, $permissions: [Permission!]!) {
  updateApiKeyPermissions(id: $id, permissions: $permissions) { ${KEY_FIELDS} }
}`;
export const RESET = `mutation($id: ID!, $grace: Int) {
  resetApiKey(id: $id, gracePeriodSeconds: $grace) { secret apiKey { ${KEY_FIELDS} } }
}`;
export const DEACTIVATE = `mutation($id: ID!) { deactivateApiKey(id: $id) { ${KEY_FIELDS} } }`;
export const ACTIVATE = `mutation($id: ID!) { activateApiKey(id: $id) { ${KEY_FIELDS} } }`;
export const REVOKE = `mutation($id: ID!, $reason: String) {
  revokeApiKey(id: $id, reason: $reason) {
    id name prefix kind client { id name } permissions createdAt lastUsedAt revokedAt revokedBy reason
  }
}`;
export const DELETE = 'mutation($id: ID!) { deleteApiKey(id: $id) }';
export const GET = `query($id: ID!) { apiKey(id: $id) { ${KEY_FIELDS} } }`;
export const AUDIT = `query($filter: AuditEventFilter) {
  auditEvents(filter: $filter, first: 100) {
    totalCount
    edges { node { action actor targetType targetId targetPrefix targetName details } }
  }
}`;

export interface AuditNode {
  action: string;
  actor: string;
  targetType: string;
  targetId: string;
  targetPrefix: string | null;
  targetName: string | null;
  details: Record<string, unknown>;
}

/** What the lifecycle files check a key by, through the file's server, as its seeded account's primary key unless told otherwise. */
export function keyLifecycle(t: TestServerFixture) {
  const admin = () => t.account.primary.secret;

  const call = (as: string, query: string, variables: Record<string, unknown>): Promise<GraphQLResponse> => t.call(as, query, variables);

  /** The key's audit trail, newest first. targetType too: ids of keys, clients and accounts overlap. */
  async function trail(id: string, as = admin()): Promise<AuditNode[]> {
    const res = await call(as, AUDIT, { filter: { targetId: id, targetType: 'API_KEY' } });
    const connection = dataOf(res).auditEvents;
    expect(connection.totalCount).toBe(connection.edges.length);
    return connection.edges.map((edge: { node: AuditNode }) => edge.node);
  }

  const actions = async (id: string) => (await trail(id)).map((event) => event.action);

  /** A request with the key must succeed and be made as that key. */
  async function expectWorks(secret: string, prefix: string): Promise<void> {
    const res = await t.call(secret, '{ viewer { principal prefix } }');
    expect(res.status).toBe(200);
    expect(dataOf(res).viewer.prefix).toBe(prefix);
  }

  /** A request with the key must get HTTP 401 at once, naming the prefix it presented. */
  async function expectRefused(secret: string, prefix: string, wording?: RegExp): Promise<string> {
    const res = await t.call(secret, '{ viewer { principal } }');
    expect(res.status).toBe(401);
    expect(res.data).toBeUndefined();
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
    const message = res.errors?.[0].message ?? '';
    expect(message).toContain(prefix);
    if (wording) expect(message).toMatch(wording);
    return message;
  }

  async function listedIds(query: 'apiKeys' | 'revokedKeys'): Promise<string[]> {
    const res = await call(admin(), `{ ${query}(first: 100) { edges { node { id } } } }`, {});
    return dataOf(res)[query].edges.map((edge: { node: { id: string } }) => edge.node.id);
  }

  return { admin, call, trail, actions, expectWorks, expectRefused, listedIds };
}
